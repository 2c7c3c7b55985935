/** Text written into one Markdown line of a state document: its lines trimmed and joined by spaces, blank ones dropped (a newline would end the field). */
export function oneLine(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .join(" ");
}
