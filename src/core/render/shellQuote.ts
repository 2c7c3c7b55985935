/**
 * One word for a POSIX shell, whatever it contains: single quotes keep every character literal
 * (`$`, backticks, `\`, `;`, newlines), and a single quote itself is closed, escaped and reopened
 * (RELIABILITY 12).
 */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** Text for a `#` comment line: no line breaks or control characters, so nothing leaves the comment. */
export function shellComment(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, "?");
}
