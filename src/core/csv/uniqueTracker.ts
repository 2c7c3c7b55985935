import { hash64, HashSet64, lastHash } from "./hashSet64.js";
import type { TrackingBudget } from "./trackingBudget.js";

/** Whether a column's values were all distinct and non-null, and how that was shown. */
export type UniqueVerdict =
  /** `exact`: every value compared; `hash`: all 64-bit hashes distinct (which proves it); `sorted`: strictly increasing. */
  | { status: "unique"; proof: "exact" | "hash" | "sorted" }
  | { status: "duplicate"; line: number; firstLine: number | null; value: string; byHash: boolean }
  | { status: "has-nulls" }
  /** Tracking stopped (memory budget) and the values were not sorted: distinct up to `checkedRows`. */
  | { status: "unproven"; checkedRows: number };

/** Values kept verbatim (with their line, for a duplicate report) before switching to hashes. */
export const EXACT_VALUES_PER_COLUMN = 50_000;

/**
 * Tracks distinctness of one column within a shared memory budget: first an exact map (so a
 * duplicate names both lines), then a set of 64-bit hashes, and throughout a check for strictly
 * increasing values, which proves uniqueness with no memory at all (the usual case for ids).
 */
export class UniqueTracker {
  private exact: Map<string, number> | null = new Map();
  private hashes: HashSet64 | null = null;
  private stoppedAt: number | null = null;
  private duplicate: Extract<UniqueVerdict, { status: "duplicate" }> | null = null;
  private nulls = false;
  private rows = 0;
  private previous: string | null = null;
  private textIncreasing = true;
  private intIncreasing = true;

  constructor(private readonly budget: TrackingBudget) {}

  /** A null ends any chance of a key: tracking stops and memory is given back. */
  addNull(): void {
    this.nulls = true;
    this.drop();
  }

  /** `canonicalInt`: the value is an integer without leading zeros (numeric order applies). */
  add(raw: string, line: number, canonicalInt: boolean): void {
    if (this.nulls) return;
    // -0 and 0 are one number; every other canonical integer has one spelling.
    const value = canonicalInt && raw === "-0" ? "0" : raw;
    this.rows++;
    if (this.previous !== null) {
      if (this.textIncreasing && !(value > this.previous)) this.textIncreasing = false;
      if (this.intIncreasing && !(canonicalInt && compareIntegers(value, this.previous) > 0)) this.intIncreasing = false;
    } else if (!canonicalInt) {
      this.intIncreasing = false;
    }
    this.previous = value;
    if (this.duplicate || this.stoppedAt !== null) return;
    if (this.exact) {
      const first = this.exact.get(value);
      if (first !== undefined) {
        this.duplicate = { status: "duplicate", line, firstLine: first, value, byHash: false };
        this.drop();
        return;
      }
      if (this.exact.size < EXACT_VALUES_PER_COLUMN && this.budget.exactChars >= value.length) {
        this.exact.set(value, line);
        this.budget.exactChars -= value.length;
        return;
      }
      if (!this.switchToHashes()) return;
    }
    hash64(value);
    const added = this.hashes!.add(lastHash.h1, lastHash.h2);
    if (added === "present") {
      this.duplicate = { status: "duplicate", line, firstLine: null, value, byHash: true };
      this.drop();
    } else if (added === "full") {
      this.stop();
    }
  }

  /** The verdict, judged in the order of the column's final type (`integer` or text). */
  verdict(asInteger: boolean): UniqueVerdict {
    if (this.nulls) return { status: "has-nulls" };
    // Strictly increasing values are distinct, whatever the tracking saw (even a hash collision).
    if (this.rows > 0 && (asInteger ? this.intIncreasing : this.textIncreasing)) return { status: "unique", proof: "sorted" };
    if (this.duplicate) return this.duplicate;
    if (this.stoppedAt !== null) return { status: "unproven", checkedRows: this.stoppedAt };
    return { status: "unique", proof: this.hashes ? "hash" : "exact" };
  }

  /** Still worth tracking: no null and no duplicate seen. */
  get open(): boolean {
    return !this.nulls && this.duplicate === null;
  }

  private switchToHashes(): boolean {
    const set = HashSet64.create(this.budget);
    if (!set) {
      this.stop();
      return false;
    }
    this.hashes = set;
    for (const key of this.exact!.keys()) {
      hash64(key);
      if (set.add(lastHash.h1, lastHash.h2) === "full") {
        this.stop();
        return false;
      }
    }
    this.releaseExact();
    return true;
  }

  private stop(): void {
    this.stoppedAt = this.rows - 1;
    this.drop();
  }

  private drop(): void {
    this.releaseExact();
    this.hashes?.release();
    this.hashes = null;
  }

  private releaseExact(): void {
    if (!this.exact) return;
    for (const key of this.exact.keys()) this.budget.exactChars += key.length;
    this.exact = null;
  }
}

/** Compares two canonical integers (optional `-`, no leading zeros) of any length. */
export function compareIntegers(a: string, b: string): number {
  const na = a.charCodeAt(0) === 0x2d;
  const nb = b.charCodeAt(0) === 0x2d;
  if (na !== nb) return na ? -1 : 1;
  const sign = na ? -1 : 1;
  if (a.length !== b.length) return (a.length < b.length ? -1 : 1) * sign;
  return (a < b ? -1 : a > b ? 1 : 0) * sign;
}
