import { dominantLineEnding } from "./sourceText.js";
import type { SourceLine, StateDocument } from "./types.js";

/**
 * The document's lines with a block of new lines appended at the end (a restart log, a pause
 * section), in the document's own line ending, losing no byte above it.
 */
export function appendBlock(doc: StateDocument, content: readonly string[]): SourceLine[] {
  const eol = dominantLineEnding(doc.source);
  const lines = [...doc.source.lines];
  const last = lines[lines.length - 1];
  // A last line without a terminator gets one, or the new block would continue it.
  if (last !== undefined && last.eol === "") lines[lines.length - 1] = { ...last, eol };
  const block: string[] = [];
  // Text appended inside an unclosed code block or comment would not render; closing it at the
  // very end changes nothing above.
  if (doc.openBlock !== null) block.push(doc.openBlock.closer);
  // A blank line keeps `---` from turning the paragraph above into a heading.
  const lastText = block.length > 0 ? block[block.length - 1] : last?.text;
  if (lastText !== undefined && lastText.trim() !== "") block.push("");
  block.push(...content);
  for (const text of block) lines.push({ text, eol });
  return lines;
}
