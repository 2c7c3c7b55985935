/** GitHub refuses an issue, PR or comment body longer than this many characters. */
export const GITHUB_BODY_LIMIT = 65_536;

export interface TruncateOptions {
  /** Characters allowed (UTF-16 code units, never fewer than GitHub's count of characters), or bytes (`unit`). */
  limit?: number | undefined;
  /**
   * What `limit` counts: characters (GitHub's bodies, the default), or bytes of UTF-8 (a job summary,
   * whose limit is the size of the file the runner uploads).
   */
  unit?: "characters" | "bytes" | undefined;
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
  const bytes = options.unit === "bytes";
  const size = bytes ? utf8Length : (text: string) => text.length;
  const start = bytes ? cutToBytes : (text: string, n: number) => text.slice(0, n);
  const whole = size(body) + size(footer);
  if (whole <= limit) return body + footer;
  const note = `\n\n> ✂️ ${options.note ?? DEFAULT_NOTE} (${whole.toLocaleString("en-US")} ${bytes ? "bytes" : "characters"}, ${limit.toLocaleString("en-US")} allowed.)\n${footer ? `\n${footer}` : ""}`;
  const head = marker && !body.startsWith(marker) ? `${marker}\n` : "";
  // Room (in the limit's unit) for every closing tag that could be needed; each open tag costs more than its closer.
  let room = limit - size(note) - size(head);
  for (;;) {
    let kept = start(body, Math.max(0, room));
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
    const over = size(result) - limit;
    if (over <= 0) return result;
    if (room <= 0) return start(result, limit);
    room -= over;
  }
}

/** Bytes of `text` in UTF-8 (as `Buffer.byteLength`: a lone surrogate is written as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The longest start of `text` of at most `limit` bytes, never splitting a surrogate pair. */
function cutToBytes(text: string, limit: number): string {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const width = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (n + width > limit) return text.slice(0, i);
    n += width;
    if (pair) i++;
  }
  return text;
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
