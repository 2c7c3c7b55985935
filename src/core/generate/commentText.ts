/**
 * Text for a one-line comment in SQL (`--`), shell or YAML (`#`). A line break in a file or column
 * name would end the comment and turn the rest into code, so control characters (and Unicode line
 * separators) become `?`.
 */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "?");
}
