/**
 * Maps character offsets to 1-based line numbers. Built once per source text so that each lookup is
 * a binary search instead of a rescan (dependencies are reported by line, and a file can have many).
 */
export class LineIndex {
  /** Built on the first lookup: many texts are never asked for a line. */
  private starts: number[] | null = null;

  constructor(private readonly text: string) {}

  lineAt(offset: number): number {
    if (this.starts === null) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}
