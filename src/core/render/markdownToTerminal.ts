const RULE = "━".repeat(60);

/**
 * The tool's own report Markdown as a terminal shows it, like the other commands' reports: `#`
 * headings between rules, `##` headings as `TITLE:`, tables as aligned columns, no `**` or code
 * span backticks. Only for Markdown this tool renders (headings, tables, lists, bold, code spans).
 */
export function markdownToTerminal(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.replace(/\n$/, "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("|")) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.startsWith("|")) {
        if (!/^\|[\s:|-]+\|$/.test(lines[i]!)) rows.push(cells(lines[i]!));
        i++;
      }
      i--;
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? ""))));
      rows.forEach((r, n) => {
        out.push(
          `  ${r
            .map((cell, c) => cell + " ".repeat(Math.max(0, widths[c]! - width(cell))))
            .join("  ")
            .trimEnd()}`,
        );
        if (n === 0) out.push(`  ${widths.map((w) => "─".repeat(w)).join("  ")}`);
      });
      continue;
    }
    const h1 = /^# (.*)$/.exec(line);
    if (h1) {
      out.push(RULE, upperTitle(inline(h1[1]!)), RULE);
      continue;
    }
    const h2 = /^#{2,} (.*)$/.exec(line);
    if (h2) {
      out.push(`${upperTitle(inline(h2[1]!))}:`);
      continue;
    }
    out.push(inline(line));
  }
  return `${out.join("\n")}\n`;
}

/** The words before a `: ` in capitals, a name after it as written ("MIGRATION EXECUTION: dim_user"). */
function upperTitle(text: string): string {
  const at = text.indexOf(": ");
  return at < 0 ? text.toUpperCase() : `${text.slice(0, at).toUpperCase()}${text.slice(at)}`;
}

/** A row's cells: split at unescaped pipes, the escaping backslash dropped, inline Markdown undone. */
function cells(row: string): string[] {
  const inner = row.replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === "|" && inner[i - 1] !== "\\") {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.map((p) => inline(p.trim().replace(/\\\|/g, "|")));
}

/** `**bold**` → bold, a code span → its text (CommonMark: one padding space each side stripped). */
function inline(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, "$1").replace(/(`+)(.+?)\1(?!`)/g, (_m, _f: string, body: string) => (body.startsWith(" ") && body.endsWith(" ") && body.trim() !== "" ? body.slice(1, -1) : body));
}

/** Columns a string takes on a terminal (emoji count as two). */
function width(text: string): number {
  let n = 0;
  for (const ch of text) n += /\p{Extended_Pictographic}/u.test(ch) ? 2 : /[\uFE0F\u200D]/.test(ch) ? 0 : 1;
  return n;
}
