/**
 * One word for a POSIX shell, whatever it contains: single quotes keep every character literal
 * (`$`, backticks, `\`, `;`, newlines), and a single quote itself is closed, escaped and reopened
 * (RELIABILITY 12).
 */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}
