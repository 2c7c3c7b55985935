import type { FileContent } from "../../core/project/projectSnapshot.js";

/** Files above this size are not read: no model or YAML file is this large in a real project. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Turns raw bytes into text, or says why not (binary, invalid UTF-8, too large). */
export function decodeText(bytes: Uint8Array): FileContent {
  if (bytes.byteLength > MAX_FILE_BYTES) {
    return { kind: "unreadable", reason: `file is ${bytes.byteLength} bytes, over the ${MAX_FILE_BYTES}-byte limit` };
  }
  if (bytes.subarray(0, 8192).includes(0)) return { kind: "unreadable", reason: "binary file (contains NUL bytes)" };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { kind: "unreadable", reason: `not valid UTF-8 (line ${firstInvalidLine(bytes)}); save it as UTF-8` };
  }
  return { kind: "text", text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** 1-based line of the first byte that is not UTF-8, for a message a person can act on. */
function firstInvalidLine(bytes: Uint8Array): number {
  const lenient = new TextDecoder("utf-8").decode(bytes);
  const at = lenient.indexOf("\ufffd");
  let line = 1;
  for (let i = 0; i < at; i++) if (lenient.charCodeAt(i) === 10) line++;
  return line;
}
