import type { LineEnding, SourceText } from "./types.js";

const BOM = "\uFEFF";

/**
 * Splits text into lines, keeping each terminator (`\n`, `\r\n`, or a lone `\r`, which Markdown also
 * treats as a line end) so that joining gives back the same string.
 */
export function splitSourceText(text: string): SourceText {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  const lines: SourceText["lines"] = [];
  let start = 0;
  if (!body.includes("\r")) {
    // Only `\n` ends lines: let indexOf find them.
    for (let i = body.indexOf("\n"); i >= 0; i = body.indexOf("\n", start)) {
      lines.push({ text: body.slice(start, i), eol: "\n" });
      start = i + 1;
    }
    if (start < body.length) lines.push({ text: body.slice(start), eol: "" });
    return { bom, lines };
  }
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 0x0a && c !== 0x0d) continue;
    const crlf = c === 0x0d && body.charCodeAt(i + 1) === 0x0a;
    const eol: LineEnding = crlf ? "\r\n" : c === 0x0d ? "\r" : "\n";
    lines.push({ text: body.slice(start, i), eol });
    if (crlf) i++;
    start = i + 1;
  }
  if (start < body.length) lines.push({ text: body.slice(start), eol: "" });
  return { bom, lines };
}

export function joinSourceText(source: SourceText): string {
  const parts: string[] = source.bom ? [BOM] : [];
  for (const line of source.lines) parts.push(line.text, line.eol);
  return parts.join("");
}

/** The terminator most lines use, so appended lines match the file (LF when there is none). */
export function dominantLineEnding(source: SourceText): Exclude<LineEnding, ""> {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (const { eol } of source.lines) {
    if (eol === "\n") lf++;
    else if (eol === "\r\n") crlf++;
    else if (eol === "\r") cr++;
  }
  if (crlf > lf && crlf >= cr) return "\r\n";
  if (cr > lf && cr > crlf) return "\r";
  return "\n";
}
