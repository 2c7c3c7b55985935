import { decodeEscapes, readOperator, scanNumber, type Token } from "./token.js";

/**
 * Tokenizes the Jinja code between `start` and `end` of `text`. Offsets stay absolute so that
 * tokens can be turned into line numbers and source excerpts without translation.
 * Never fails: a character that means nothing becomes an operator token the parser will reject.
 *
 * Characters are tested by code unit (every `{{ }}` of every model passes through here: a
 * one-character string per character was a visible share of the real-shape profile); the tokens are
 * those of `isNameStart`/`isNamePart`/`isDigit` in token.ts (expressionParser.test.ts holds them to it).
 */
export function lexExpression(text: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === 32 || (code >= 9 && code <= 13)) {
      // space, \t \n \v \f \r
      i++;
    } else if (isNameStartCode(code)) {
      let j = i + 1;
      while (j < end && isNamePartCode(text.charCodeAt(j))) j++;
      tokens.push({ type: "name", value: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (code >= 48 && code <= 57) {
      const number = scanNumber(text, i);
      const j = Math.min(number.end, end);
      tokens.push({ type: "number", value: number.end <= end ? number.text : text.slice(i, j), start: i, end: j });
      i = j;
    } else if (code === 39 || code === 34) {
      // ' or "
      let j = i + 1;
      while (j < end) {
        const c = text.charCodeAt(j);
        if (c === code) break;
        j += c === 92 ? 2 : 1;
      }
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

function isNameStartCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isNamePartCode(code: number): boolean {
  return isNameStartCode(code) || (code >= 48 && code <= 57);
}
