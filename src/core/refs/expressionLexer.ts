import { decodeEscapes, isDigit, isNamePart, isNameStart, readOperator, scanNumber, type Token } from "./token.js";

/**
 * Tokenizes the Jinja code between `start` and `end` of `text`. Offsets stay absolute so that
 * tokens can be turned into line numbers and source excerpts without translation.
 * Never fails: a character that means nothing becomes an operator token the parser will reject.
 */
export function lexExpression(text: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") {
      i++;
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (j < end && isNamePart(text[j])) j++;
      tokens.push({ type: "name", value: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (isDigit(c)) {
      const number = scanNumber(text, i);
      const j = Math.min(number.end, end);
      tokens.push({ type: "number", value: number.end <= end ? number.text : text.slice(i, j), start: i, end: j });
      i = j;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < end && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      const raw = text.slice(i + 1, Math.min(j, end));
      tokens.push({ type: "string", value: decodeEscapes(raw), start: i, end: Math.min(j + 1, end) });
      i = j + 1;
    } else {
      const op = readOperator(text, i);
      tokens.push({ type: "op", value: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  tokens.push({ type: "eof", value: "", start: end, end });
  return tokens;
}
