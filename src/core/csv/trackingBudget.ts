/**
 * Memory shared by every column's uniqueness tracking, so that a file with many columns or many
 * rows stays within a fixed amount however large it is. When a column needs more than is left,
 * it stops tracking and says so instead of growing.
 */
export interface TrackingBudget {
  /** Characters of values still allowed in exact (value → line) maps, across all columns. */
  exactChars: number;
  /** Hash-table slots (8 bytes each) still allowed, across all columns. */
  hashSlots: number;
}

/** The default: about 16 MB of exact values and 64 MB of hashes. */
export function defaultTrackingBudget(): TrackingBudget {
  return { exactChars: 8 * 1024 * 1024, hashSlots: 8 * 1024 * 1024 };
}
