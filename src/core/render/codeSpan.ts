/**
 * Renders any string as a Markdown code span that displays exactly that string (CommonMark 0.31,
 * "Code spans"). Names come from pull requests written by strangers; inside a code span a backtick,
 * `](`, `<`, `*` or `@org/team` is shown as text instead of becoming a link, HTML, emphasis or a
 * mention.
 *
 * - The fence is one backtick longer than the longest backtick run in the text, so no run inside can
 *   close it early.
 * - A renderer strips one space from each side when the content both starts and ends with a space,
 *   and a backtick touching the fence would lengthen it; one space of padding on each side covers both.
 * - Line breaks become spaces: a renderer shows them as spaces anyway, and a raw newline could end
 *   the list item or table row the span sits in.
 * - The empty string has no code span form (two backticks are shown as two backticks), so it renders
 *   as nothing.
 *
 * Not for GitHub table cells: there a `|` splits the cell even inside a code span.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ");
  if (flat === "") return "";
  let longest = 0;
  let run = 0;
  for (let i = 0; i < flat.length; i++) {
    if (flat.charCodeAt(i) === 0x60) {
      run++;
      if (run > longest) longest = run;
    } else {
      run = 0;
    }
  }
  const fence = "`".repeat(longest + 1);
  // Only U+0020 counts: a content of nothing but spaces is left alone by the renderer.
  const allSpaces = /^ +$/.test(flat);
  const needsPadding = !allSpaces && (flat.startsWith("`") || flat.endsWith("`") || (flat.startsWith(" ") && flat.endsWith(" ")));
  const pad = needsPadding ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
