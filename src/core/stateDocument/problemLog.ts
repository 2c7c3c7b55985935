const MAX_PROBLEMS = 100;
const MAX_QUOTE = 80;

/**
 * Collects problems up to a cap: a pathological document (100k odd headings) must not turn into a
 * report longer than the document.
 */
export class ProblemLog {
  private readonly items: string[] = [];
  private dropped = 0;

  add(message: string): void {
    if (this.items.length < MAX_PROBLEMS) this.items.push(message);
    else this.dropped++;
  }

  list(): string[] {
    return this.dropped === 0 ? [...this.items] : [...this.items, `... and ${this.dropped} more problems`];
  }
}

/** Quotes document text in a message, cut to a readable length. */
export function quote(text: string): string {
  const flat = text.slice(0, MAX_QUOTE + 1).replace(/\s+/g, " ");
  return JSON.stringify(text.length > MAX_QUOTE ? `${flat.slice(0, MAX_QUOTE)}…` : flat);
}
