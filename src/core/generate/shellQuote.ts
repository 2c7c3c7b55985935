/**
 * A POSIX shell word that is exactly `text`: single quotes keep every character literal, and a
 * single quote inside is closed, escaped and reopened (`'\''`). Safe for any file name.
 */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}
