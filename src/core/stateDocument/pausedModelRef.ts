import { stripEmoji } from "./markdownLine.js";

export interface PausedModelRef {
  name: string;
  /** The token before the arrow, or the only token, as written (without code or bold markers). */
  file: string;
  /** The token looks like a file (`.sql`, `.py`, `.skip`, a path) or an arrow was used. */
  fileLike: boolean;
  /** The text is nothing but one identifier-like token (`### d_user`, `### d_user (gold)`). */
  bare: boolean;
  /** Whatever followed the model's token(s), e.g. `(missing: a, b)` in a list item. */
  rest: string;
}

const ARROWS = ["→", "->", "=>", "⟶", "⇒", "➡", "➔"];
const NUMBERING = /^(?:\d{1,9}[.)]|#\d{1,9}|[-*+])\s*/;
const PREFIX = /^(?:model|file|paused)\s*:\s*/i;
const TOKEN = /^[^\s()[\]{},;:]+/;
const IDENTIFIER = /^[A-Za-z0-9_][A-Za-z0-9_$-]*$/;

/**
 * Reads the model a paused-model heading or list item names: `1. d_user.sql → d_user.sql.skip`,
 * `d_user.sql -> d_user.sql.skip`, `` `models/gold/d_user.sql.skip` ``, `d_user`.
 */
export function parsePausedModelRef(text: string): PausedModelRef | null {
  const plain = stripEmoji(text);
  const unmarked = plain.includes("**") || plain.includes("`") ? plain.replace(/\*\*|`/g, "") : plain;
  const cleaned = unmarked.trim().replace(NUMBERING, "").replace(PREFIX, "");
  let arrowAt = -1;
  let arrowLength = 0;
  for (const arrow of ARROWS) {
    const at = cleaned.indexOf(arrow);
    if (at >= 0 && (arrowAt < 0 || at < arrowAt)) {
      arrowAt = at;
      arrowLength = arrow.length;
    }
  }
  const left = (arrowAt >= 0 ? cleaned.slice(0, arrowAt) : cleaned).trim();
  const token = TOKEN.exec(left)?.[0];
  if (token === undefined) return null;
  let rest = arrowAt >= 0 ? cleaned.slice(arrowAt + arrowLength).trim() : left.slice(token.length).trim();
  if (arrowAt >= 0) rest = rest.replace(TOKEN, "").trim();
  const name = modelNameOf(token);
  if (name === "" || !IDENTIFIER.test(name)) return null;
  const fileLike = arrowAt >= 0 || token !== baseNameOf(token) || /\.(?:sql|py|skip)$/i.test(token);
  const bare = !fileLike && IDENTIFIER.test(token) && /^(?:\([^()]*\))?$/.test(rest);
  return { name, file: token, fileLike, bare, rest };
}

/** `models/gold/d_user.sql.skip` → `d_user`. */
export function modelNameOf(file: string): string {
  const base = baseNameOf(file);
  let end = base.length;
  while (end >= 5 && base.slice(end - 5, end).toLowerCase() === ".skip") end -= 5;
  return base.slice(0, end).replace(/\.(?:sql|py)$/i, "");
}

/** `models/gold/d_user.sql.skip` → `d_user.sql.skip`. */
export function baseNameOf(path: string): string {
  // Windows-written documents use backslashes.
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}
