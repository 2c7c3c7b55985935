/**
 * What a file under a model path is to dbt: an active model (`.sql`/`.py`, any case), a paused one
 * (the same with `.skip` after it), or neither. The model's name is the file name without its
 * last extension.
 */
export function classifyModelFile(path: string): { state: "active" | "paused"; name: string; language: "sql" | "python" } | null {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const match = /^(.+)\.(sql|py)(\.skip)?$/i.exec(base);
  if (!match?.[1] || !match[2]) return null;
  return {
    state: match[3] ? "paused" : "active",
    name: match[1],
    language: match[2].toLowerCase() === "py" ? "python" : "sql",
  };
}

/**
 * The one definition of "dbt never reads this file because of its name": dbt lists every file of a
 * project (models, seeds, snapshots, macros, properties YAML) with the pattern `[!.#~]*<extension>`
 * (dbt/parser/search.py), so a file whose name starts with '.', '#' or '~' (hidden files, editors'
 * lock and backup files) is not part of the project. Returns that first character, or null.
 * Folders' names do not count: dbt walks into hidden folders.
 */
export function unreadNameStart(path: string): "." | "#" | "~" | null {
  const first = path[path.lastIndexOf("/") + 1];
  return first === "." || first === "#" || first === "~" ? first : null;
}

/**
 * Of a file dbt never reads (unreadNameStart, or a `.dbtignore` match): why, in words, and the names
 * it looks like it provides: its file name without the extension, and without the '.', '#' or '~'
 * it starts with (`.snap_hidden.sql` looks like `.snap_hidden` and `snap_hidden`). Null for a file
 * not named like a model, seed or snapshot file (`.sql`, `.py`, `.csv`).
 */
export function unreadFileLooksLike(path: string, ignoredByDbtignore: boolean): { names: string[]; why: string } | null {
  const start = unreadNameStart(path);
  if (start === null && !ignoredByDbtignore) return null;
  const base = path.slice(path.lastIndexOf("/") + 1);
  const stem = /^(.+)\.(sql|py|csv)$/i.exec(base)?.[1];
  if (!stem) return null;
  const bare = stem.replace(/^[.#~]+/, "");
  return { names: bare === "" || bare === stem ? [stem] : [stem, bare], why: start !== null ? `dbt does not read files whose names start with '${start}'` : ".dbtignore matches it, so dbt does not read it" };
}

export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/**
 * Why a file under a model path that is named like a model (`.sql`, `.py`, with or without `.skip`)
 * is not one, or null when it is one or is not named like one. dbt-unskip reports such files
 * instead of passing over them in silence (RELIABILITY 34).
 */
export function skippedModelFileReason(path: string): string | null {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (!/\.(sql|py)(\.skip)?$/i.test(base) || classifyModelFile(path) !== null) return null;
  if (/[\n\r\u2028\u2029]/.test(base)) return "skipped: the file name holds a line break; rename the file";
  return "skipped: the file name has nothing before its extension; rename the file";
}
