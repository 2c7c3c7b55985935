/** GitHub refuses an issue, PR or comment body longer than this many characters. */
export const GITHUB_BODY_LIMIT = 65_536;

export interface TruncateOptions {
  /** Characters allowed (UTF-16 code units, never fewer than GitHub's count of characters). */
  limit?: number;
  /** A hidden marker the body must keep, so the next run still finds the comment. */
  marker?: string;
  /** Said where the body was cut; should tell the reader where the rest is. */
  note?: string;
}

const DEFAULT_NOTE = "The rest was cut to fit GitHub's size limit; the job summary has the full report.";

/**
 * Fits a Markdown body under a size limit: cut at a line break, close any `<details>` left open,
 * and say that it was cut. The marker survives, so an upsert keeps finding the comment it wrote.
 */
export function truncateBody(body: string, options: TruncateOptions = {}): string {
  const limit = options.limit ?? GITHUB_BODY_LIMIT;
  const marker = options.marker ?? "";
  if (body.length <= limit) return body;
  const note = `\n\n> ✂️ ${options.note ?? DEFAULT_NOTE} (${body.length.toLocaleString("en-US")} characters, ${limit.toLocaleString("en-US")} allowed.)\n`;
  const head = marker && !body.startsWith(marker) ? `${marker}\n` : "";
  // Room for every closing tag that could be needed; each open tag costs more than its closer.
  let room = limit - note.length - head.length;
  for (;;) {
    let kept = body.slice(0, Math.max(0, room));
    const lastBreak = kept.lastIndexOf("\n");
    if (lastBreak > 0) kept = kept.slice(0, lastBreak);
    else if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1); // never split a surrogate pair
    const open = count(kept, /<details[\s>]/g) - count(kept, /<\/details>/g);
    const closers = "\n</details>".repeat(Math.max(0, open));
    const result = `${head}${kept}${closers}${note}`;
    if (result.length <= limit || room <= 0) return result.slice(0, limit);
    room -= result.length - limit;
  }
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
