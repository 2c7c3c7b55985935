/**
 * The characters that can end a line or drive a terminal, in any text the tool writes out: the C0
 * controls (line feed, carriage return, tab, ESC ...), DEL, the C1 controls U+0080-U+009F (NEL U+0085
 * ends a line in YAML; CSI U+009B starts a terminal escape sequence on its own), and Unicode's line and
 * paragraph separators U+2028/U+2029 (line breaks to YAML, JavaScript and many editors).
 *
 * One set for every use: terminal output (the plan, generate's report), one-line comments in
 * generated SQL, shell and YAML (a line break would turn the rest of a name into code), and names in
 * problems that reach Markdown reports, GitHub annotations and logs (a line break could forge a line).
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };

/**
 * - `mask`: each control character becomes `?` (one-line comments in generated SQL, shell and
 *   YAML; names in the terminal plan, where a name only needs to be recognisable);
 * - `escape`: each becomes a visible escape (`\n`, `\r`, `\t`, `\x1b`, `\u2028`); text without
 *   one is shown as it is, so a command shown in the terminal can still be copied (generate's report);
 * - `escape-exact`: as `escape`, and a backslash becomes `\\`, so the original can be read back
 *   exactly (`a\nb` the name is never confused with a line break; file names in problems, which
 *   reach Markdown reports, GitHub annotations and logs).
 */
export type ControlCharacterMode = "mask" | "escape" | "escape-exact";

export function neutraliseControlCharacters(text: string, mode: ControlCharacterMode): string {
  if (mode === "mask") return text.replace(CONTROL_CHARACTERS, "?");
  return text.replace(mode === "escape" ? CONTROL_CHARACTERS : CONTROL_OR_BACKSLASH, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
