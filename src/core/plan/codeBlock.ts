/**
 * A fenced code block that shows `text` exactly: the fence is one backtick longer than the longest
 * backtick run inside (a name with backticks cannot close it early), at least three.
 */
export function codeBlock(text: string, language = ""): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.endsWith("\n") ? text : `${text}\n`}${fence}`;
}
