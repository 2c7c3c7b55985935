import { decodeEscapes, isDigit, isNamePart, isNameStart, readNumber, readOperator, type Token } from "./token.js";

const STRING_PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/;

/**
 * Tokenizes Python source for finding `dbt.ref(...)` calls. Comments are dropped and every string
 * (docstrings included) is one token, so calls that are only mentioned in text are never seen, the
 * same result dbt gets from Python's own parser. An f-string with replacement fields becomes a
 * name token: its value is not a literal, so it evaluates to unknown.
 */
export function lexPython(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "#") {
      const eol = text.indexOf("\n", i);
      i = eol === -1 ? text.length : eol + 1;
    } else if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\\") {
      i++;
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (j < text.length && isNamePart(text[j])) j++;
      const word = text.slice(i, j);
      if ((text[j] === "'" || text[j] === '"') && STRING_PREFIX.test(word)) {
        i = readString(text, i, j, word.toLowerCase(), tokens);
      } else {
        tokens.push({ type: "name", value: word, start: i, end: j });
        i = j;
      }
    } else if (isDigit(c)) {
      const j = readNumber(text, i);
      tokens.push({ type: "number", value: text.slice(i, j).replace(/_/g, ""), start: i, end: j });
      i = j;
    } else if (c === "'" || c === '"') {
      i = readString(text, i, i, "", tokens);
    } else {
      const op = readOperator(text, i);
      tokens.push({ type: "op", value: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  tokens.push({ type: "eof", value: "", start: text.length, end: text.length });
  return tokens;
}

/** Reads a string literal whose quote is at `quoteAt` (prefix from `start`); returns where it ends. */
function readString(text: string, start: number, quoteAt: number, prefix: string, tokens: Token[]): number {
  const quote = text[quoteAt] as string;
  const triple = text.startsWith(quote.repeat(3), quoteAt);
  const delimiter = triple ? quote.repeat(3) : quote;
  let j = quoteAt + delimiter.length;
  while (j < text.length && !text.startsWith(delimiter, j)) {
    if (!triple && text[j] === "\n") break;
    j += text[j] === "\\" ? 2 : 1;
  }
  const bodyEnd = Math.min(j, text.length);
  const end = Math.min(text.startsWith(delimiter, j) ? j + delimiter.length : j, text.length);
  const raw = text.slice(quoteAt + delimiter.length, bodyEnd);
  if (prefix.includes("f") && raw.replace(/\{\{/g, "").includes("{")) {
    tokens.push({ type: "name", value: "<f-string>", start, end });
  } else {
    const value = prefix.includes("r") ? raw : decodeEscapes(raw);
    tokens.push({ type: "string", value: prefix.includes("f") ? value.replace(/\{\{/g, "{").replace(/\}\}/g, "}") : value, start, end });
  }
  return Math.max(end, start + 1);
}
