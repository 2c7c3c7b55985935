import { joinSourceText } from "./sourceText.js";
import type { StateDocument } from "./types.js";

/**
 * Writes a state document back. The text is the source, line for line; the one parsed field a
 * caller may change is `status.value`, which is spliced into its own line between the offsets it
 * was read from, so the rest of that line (bold markers, list marker, trailing text) stays as
 * written. With nothing changed the result is byte for byte the text that was parsed.
 */
export function writeStateDocument(doc: StateDocument): string {
  const { status, source } = doc;
  const original = status === null ? undefined : source.lines[status.line - 1];
  if (status === null || original === undefined) return joinSourceText(source);
  const current = original.text.slice(status.start, status.end);
  if (current === status.value) return joinSourceText(source);
  // A line break in the value would turn the rest of it into new Markdown lines.
  const value = status.value.replace(/\r\n|\r|\n/g, " ");
  const text = original.text.slice(0, status.start) + value + original.text.slice(status.end);
  const lines = source.lines.map((line, index) => (index === status.line - 1 ? { ...line, text } : line));
  return joinSourceText({ ...source, lines });
}
