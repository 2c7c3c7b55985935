/**
 * A value for the terminal: control characters (which could move the cursor or recolour the
 * screen when a CSV header or value carries escape sequences) are shown as `\u001b` and the like.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
