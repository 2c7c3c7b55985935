/**
 * The one line of a dbt error message that says what went wrong, for a live progress line (the full
 * text stays in the report). dbt's first line often says nothing: `Encountered an error:` before its
 * own errors, `Traceback (most recent call last):` before a Python crash. For a traceback it is the
 * exception (the first line after the last frame that is not indented, the last exception of a
 * chain); for dbt's own error its heading with the line under it (`Compilation Error in model x
 * (path): unexpected '}'`); otherwise the first line that is not `Encountered an error:`.
 */
export function dbtErrorHeadline(message: string): string {
  const lines = message
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""))
    .filter((l) => l.trim() !== "");
  const traceback = lines.findIndex((l) => l.trim().startsWith("Traceback (most recent call last)"));
  if (traceback >= 0) {
    let lastFrame = traceback;
    for (let i = lines.length - 1; i > traceback; i--) {
      if (/^\s+File "/.test(lines[i]!)) {
        lastFrame = i;
        break;
      }
    }
    const exception = lines.slice(lastFrame + 1).find((l) => !/^\s/.test(l));
    if (exception) return clip(exception.trim());
  }
  const meaningful = lines.map((l) => l.trim()).filter((l) => !/^Encountered an error:?$/i.test(l));
  // dbt nests headings: `Runtime Error` over `Compilation Error in model x (path)` over the reason.
  // The innermost heading and the line under it say what went wrong.
  let at = 0;
  while (at + 1 < meaningful.length && HEADING.test(meaningful[at]!) && HEADING.test(meaningful[at + 1]!)) at++;
  const [head, detail] = meaningful.slice(at);
  if (head === undefined) return clip(lines[0]?.trim() ?? "");
  if (detail !== undefined && HEADING.test(head)) return clip(`${head}: ${detail}`);
  return clip(head);
}

const HEADING = /^[A-Z][\w ]*(?:Error|Exception)(?: in .*)?$/;

function clip(line: string): string {
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
