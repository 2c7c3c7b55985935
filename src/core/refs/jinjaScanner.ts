import { LineIndex } from "./lineIndex.js";

/** A piece of Jinja code: the inside of `{{ ... }}` (expression) or `{% ... %}` (statement). */
export interface JinjaSegment {
  kind: "expression" | "statement";
  /** Offsets of the code between the delimiters, whitespace-control marks (`-`, `+`) excluded. */
  start: number;
  end: number;
  /** Offset of the opening delimiter, used for line numbers of whole tags. */
  open: number;
}

export interface ScanResult {
  segments: JinjaSegment[];
  warnings: string[];
}

const RAW_TAG = /^\s*raw\s*$/;
const END_RAW = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;

/**
 * Splits a template into its Jinja code segments, dropping plain text, `{# #}` comments and
 * `{% raw %}` bodies, which dbt never evaluates.
 *
 * One forward pass, never backtracking, so any input (including pathological ones such as a megabyte
 * of `{{`) is scanned in linear time. Unterminated constructs swallow the rest of the text, as they
 * would in Jinja, and are reported as warnings rather than errors: the caller still gets everything
 * found before them.
 */
export function scanJinja(text: string, lines?: LineIndex): ScanResult {
  const segments: JinjaSegment[] = [];
  const warnings: string[] = [];
  const warn = (message: string, offset: number): void => {
    lines ??= new LineIndex(text);
    warnings.push(`${message} at line ${lines.lineAt(offset)}`);
  };
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    if (open === -1 || open + 1 >= text.length) break;
    const next = text[open + 1];
    if (next === "#") {
      const close = text.indexOf("#}", open + 2);
      if (close === -1) {
        warn("unterminated Jinja comment {#", open);
        break;
      }
      i = close + 2;
      continue;
    }
    if (next !== "{" && next !== "%") {
      i = open + 1;
      continue;
    }
    const kind = next === "{" ? "expression" : "statement";
    const found = findBlockEnd(text, open + 2, next === "{" ? "}" : "%");
    let start = open + 2;
    if (text[start] === "-" || (kind === "statement" && text[start] === "+")) start++;
    let end = found.end;
    if (found.closed && end > start && (text[end - 1] === "-" || (kind === "statement" && text[end - 1] === "+"))) end--;
    segments.push({ kind, start, end: Math.max(start, end), open });
    if (!found.closed) {
      warn(`unterminated ${kind === "expression" ? "{{" : "{%"}${found.inString ? " (open string)" : ""}`, open);
      break;
    }
    i = found.end + 2;
    if (kind === "statement" && RAW_TAG.test(text.slice(start, end))) {
      segments.pop();
      END_RAW.lastIndex = i;
      const endRaw = END_RAW.exec(text);
      if (endRaw === null) {
        warn("unterminated {% raw %}", open);
        break;
      }
      i = endRaw.index + endRaw[0].length;
    }
  }
  return { segments, warnings };
}

interface BlockEnd {
  /** Offset of the closing delimiter (or of the end of text when not closed). */
  end: number;
  closed: boolean;
  inString: boolean;
}

/**
 * Finds the `}}` or `%}` that closes a block. Like Jinja's lexer, quotes protect their content and a
 * brace opened inside the block (a dict literal) must be closed before `}}` can end it; an unclosed
 * `(` or `[` does not hold the block open, so one stray bracket does not swallow the file.
 */
function findBlockEnd(text: string, from: number, endMark: "}" | "%"): BlockEnd {
  // By code unit: every character of every block passes through here.
  const mark = endMark === "}" ? 125 : 37;
  let braces = 0;
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 39 || c === 34) {
      // ' or ": skip the string, a backslash escaping the next character.
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === c) break;
        j += d === 92 ? 2 : 1;
      }
      if (j >= text.length) return { end: text.length, closed: false, inString: true };
      i = j + 1;
      continue;
    }
    if (c === 123) braces++;
    else if (c === mark && text.charCodeAt(i + 1) === 125 && braces === 0) return { end: i, closed: true, inString: false };
    else if (c === 125 && braces > 0) braces--;
    i++;
  }
  return { end: text.length, closed: false, inString: false };
}
