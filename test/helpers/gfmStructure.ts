import type { Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/**
 * What GitHub would make of a Markdown body, read with a CommonMark + GFM parser (micromark, the
 * parser behind remark), and the ways it goes wrong that a string check does not see:
 * - an HTML block that swallows Markdown: CommonMark ends an HTML block (`<h2>`, `<pre>`,
 *   `<details>`) only at a blank line, so every line of one must be markup; a line of text in it is
 *   Markdown shown raw, and a `<pre>` left open there wraps what follows;
 * - a table row with more cells than its header (GitHub drops the extra ones);
 * - a task item (`- [ ]`) that is not one line (a lazy continuation renders on the checkbox line);
 * - a `mermaid` fence, returned so the caller can parse it.
 */
export function gfmProblems(markdown: string): { problems: string[]; mermaid: string[]; tree: Root } {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const lines = markdown.split("\n");
  const problems: string[] = [];
  const mermaid: string[] = [];
  const at = (node: Nodes) => `line ${node.position?.start.line ?? "?"}`;
  const visit = (node: Nodes): void => {
    if (node.type === "html") {
      for (const line of node.value.split("\n")) {
        if (line.trim() !== "" && !/^\s*</.test(line)) problems.push(`${at(node)}: an HTML block swallows Markdown: ${JSON.stringify(line.slice(0, 60))}`);
      }
      for (const tag of ["pre", "code", "table"]) {
        const opened = node.value.match(new RegExp(`<${tag}[\\s>]`, "g"))?.length ?? 0;
        const closed = node.value.match(new RegExp(`</${tag}>`, "g"))?.length ?? 0;
        if (opened > closed) problems.push(`${at(node)}: <${tag}> left open in an HTML block`);
      }
    }
    if (node.type === "table") {
      const header = cellCount(lines[node.position!.start.line - 1]!);
      for (let l = node.position!.start.line + 1; l <= node.position!.end.line; l++) {
        const n = cellCount(lines[l - 1]!);
        if (n > header) problems.push(`line ${l}: ${n} cells in a table of ${header} columns`);
      }
    }
    if (node.type === "listItem" && typeof node.checked === "boolean") {
      const { start, end } = node.position!;
      if (start.line !== end.line || node.children.length !== 1) problems.push(`${at(node)}: a task item over ${end.line - start.line + 1} lines`);
    }
    if (node.type === "code" && node.lang === "mermaid") mermaid.push(`${node.value}\n`);
    if ("children" in node) for (const child of node.children) visit(child as Nodes);
  };
  visit(tree);
  return { problems, mermaid, tree };
}

/** GFM splits a row at every `|` not preceded by a backslash, code spans included. */
function cellCount(row: string): number {
  const inner = row
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "");
  let n = 1;
  for (let i = 0; i < inner.length; i++) if (inner[i] === "|" && inner[i - 1] !== "\\") n++;
  return n;
}
