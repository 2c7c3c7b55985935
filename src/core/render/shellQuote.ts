/** One POSIX shell word that reads back as exactly `text`, whatever it holds (RELIABILITY 12). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
