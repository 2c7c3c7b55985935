/**
 * Makes Markdown safe to put in one GitHub table cell. GFM splits a row at every `|`, even inside a
 * code span, unless a backslash precedes it; cmark-gfm then drops exactly that one backslash, so
 * escaping every pipe gives back the original text whatever surrounds it (a `\|` in a name comes
 * out as `\|`). Line breaks would end the row: callers pass single-line text (`codeSpan` flattens).
 */
export function tableCell(markdown: string): string {
  return markdown.replace(/\|/g, "\\|").replace(/\r\n|\r|\n/g, " ");
}
