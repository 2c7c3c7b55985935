/**
 * Text for inside an HTML element (such as the job summary's `<pre><code>`), where a name holding
 * `</code>` or `<img>` would otherwise end the block or become markup.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
