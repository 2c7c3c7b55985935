/** GitHub refuses an issue, PR or comment body longer than this many characters. */
export const GITHUB_BODY_LIMIT = 65_536;

export interface TruncateOptions {
  /** Characters allowed (UTF-16 code units, never fewer than GitHub's count of characters). */
  limit?: number | undefined;
  /** A hidden marker the body must keep, so the next run still finds the comment. */
  marker?: string;
  /** Said where the body was cut; should tell the reader where the rest is. */
  note?: string | undefined;
  /** The body's last line (what it is about: the commits), kept after the note when it is cut. */
  footer?: string;
}

// Where the rest is depends on the caller (the bot writes no job summary): callers that know say so.
const DEFAULT_NOTE = "The rest was cut to fit GitHub's size limit.";

/**
 * Fits a Markdown body under a size limit: cut at a line break, close any `<details>` left open,
 * and say that it was cut. The marker survives, so an upsert keeps finding the comment it wrote.
 */
export function truncateBody(body: string, options: TruncateOptions = {}): string {
  const limit = options.limit ?? GITHUB_BODY_LIMIT;
  const marker = options.marker ?? "";
  const footer = options.footer ?? "";
  if (body.length + footer.length <= limit) return body + footer;
  const note = `\n\n> ✂️ ${options.note ?? DEFAULT_NOTE} (${(body.length + footer.length).toLocaleString("en-US")} characters, ${limit.toLocaleString("en-US")} allowed.)\n${footer ? `\n${footer}` : ""}`;
  const head = marker && !body.startsWith(marker) ? `${marker}\n` : "";
  // Room for every closing tag that could be needed; each open tag costs more than its closer.
  let room = limit - note.length - head.length;
  for (;;) {
    let kept = body.slice(0, Math.max(0, room));
    const lastBreak = kept.lastIndexOf("\n");
    // A list of names on one line ("… unblocks 3001: `a`, `b`, …") can be longer than the whole
    // room: cutting at the line break would drop every name. Cut after the last whole name instead.
    const lastName = kept.lastIndexOf("`, `");
    if (lastName > lastBreak) kept = `${kept.slice(0, lastName + 1)}, …`;
    else if (lastBreak > 0) kept = kept.slice(0, lastBreak);
    else if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1); // never split a surrogate pair
    const { openDetails, openFence } = openBlocks(kept);
    // A cut inside a fenced block closes the fence first, or the closing tags would show as code.
    const closers = (openFence ? `\n${openFence}` : "") + "\n</details>".repeat(openDetails);
    const result = `${head}${kept}${closers}${note}`;
    if (result.length <= limit || room <= 0) return result.slice(0, limit);
    room -= result.length - limit;
  }
}

/**
 * What is left open at the end of `text`: `<details>` blocks (counted outside code fences only, so a
 * tag shown inside a script is not taken for one) and a fenced code block (CommonMark: a line of 3+
 * backticks or tildes opens; a line of the same character, at least as long, closes).
 */
function openBlocks(text: string): { openDetails: number; openFence: string | null } {
  let fence: string | null = null;
  let details = 0;
  for (const line of text.split("\n")) {
    if (fence !== null) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) fence = null;
      continue;
    }
    const open = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/.exec(line);
    if (open) {
      fence = open[1]!;
      continue;
    }
    details += count(line, /<details[\s>]/g) - count(line, /<\/details>/g);
  }
  return { openDetails: Math.max(0, details), openFence: fence };
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
