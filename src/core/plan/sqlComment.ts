import { neutraliseControlCharacters } from "../render/controlCharacters.js";

/**
 * Text for a `--` SQL comment: one line, and no Jinja delimiters, because the same SQL is handed to
 * dbt (inside `{% raw %}`), where `{% endraw %}` in a name would end the raw block.
 */
export function sqlComment(text: string): string {
  return neutraliseControlCharacters(text, "mask").replace(/([{%#])([{}%#])/g, "$1 $2");
}
