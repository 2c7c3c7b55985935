import type { TrackingBudget } from "./trackingBudget.js";

/**
 * A set of 64-bit hashes in two typed arrays (open addressing, linear probing): 8 bytes a slot, no
 * per-entry objects, so millions of values cost tens of megabytes, not hundreds. Distinct hashes
 * prove distinct values; an equal hash only says "probably equal".
 */
export class HashSet64 {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  private count = 0;

  private constructor(
    slots: number,
    private readonly budget: TrackingBudget,
  ) {
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.mask = slots - 1;
  }

  /** A new set, or null when the budget cannot pay for its first table. */
  static create(budget: TrackingBudget, slots = 1024): HashSet64 | null {
    if (budget.hashSlots < slots) return null;
    budget.hashSlots -= slots;
    return new HashSet64(slots, budget);
  }

  get size(): number {
    return this.count;
  }

  /** `added`, `present` (the hash was there), or `full` (growing would exceed the budget). */
  add(h1: number, h2: number): "added" | "present" | "full" {
    // (0, 0) marks an empty slot.
    if (h1 === 0 && h2 === 0) h2 = 1;
    if ((this.count + 1) * 2 > this.hi.length && !this.grow()) return "full";
    return this.insert(h1, h2) ? "added" : "present";
  }

  /** Gives the slots back to the budget. */
  release(): void {
    this.budget.hashSlots += this.hi.length;
    this.hi = new Uint32Array(0);
    this.lo = new Uint32Array(0);
    this.count = 0;
  }

  private insert(h1: number, h2: number): boolean {
    let i = (h1 ^ Math.imul(h2, 0x9e3779b1)) & this.mask;
    for (;;) {
      const a = this.hi[i]!;
      const b = this.lo[i]!;
      if (a === 0 && b === 0) {
        this.hi[i] = h1;
        this.lo[i] = h2;
        this.count++;
        return true;
      }
      if (a === h1 && b === h2) return false;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): boolean {
    const old = this.hi.length;
    if (this.budget.hashSlots < old) return false;
    this.budget.hashSlots -= old;
    const hi = this.hi;
    const lo = this.lo;
    this.hi = new Uint32Array(old * 2);
    this.lo = new Uint32Array(old * 2);
    this.mask = old * 2 - 1;
    this.count = 0;
    for (let i = 0; i < old; i++) if (hi[i] !== 0 || lo[i] !== 0) this.insert(hi[i]!, lo[i]!);
    return true;
  }
}

/** The two halves of the last `hash64` (module state, so hashing millions of values allocates nothing). */
export const lastHash = { h1: 0, h2: 0 };

/** Two independent 32-bit hashes of a string (FNV-1a and a murmur-style mix): 64 bits together, in `lastHash`. */
export function hash64(text: string): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h2 ^= text.length;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  lastHash.h1 = h1 >>> 0;
  lastHash.h2 = h2 >>> 0;
}
