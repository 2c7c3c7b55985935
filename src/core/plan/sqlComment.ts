/**
 * Text for a `--` SQL comment: one line, and no Jinja delimiters, because the same SQL is handed to
 * dbt (inside `{% raw %}`), where `{% endraw %}` in a name would end the raw block.
 */
export function sqlComment(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " ").replace(/([{%#])([{}%#])/g, "$1 $2");
}
