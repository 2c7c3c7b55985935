/** About this many characters are passed to `write` at a time. */
const PIECE_CHARACTERS = 64 * 1024;
/** Plain objects and arrays this deep are written member by member; deeper values in one JSON.stringify. */
const EXPANDED_DEPTH = 3;

/**
 * Writes `${JSON.stringify(value, null, 2)}\n` in pieces of about 64 kB, never the whole text as one
 * string: a `status --json` report of 50,000 models is 5 MB, and the one string, its copy with the line
 * break and the bytes written from it came at the run's peak of memory (BENCHMARKS.md, finding 22).
 * The same characters for every value whose `toJSON` methods do not read their key (this tool's
 * reports hold plain data): `test/cli/writeJson.test.ts` holds it to JSON.stringify.
 */
export function writeJson(write: (text: string) => void, value: unknown): void {
  if (!expandable(value)) {
    write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  let pending = "";
  const out = (text: string) => {
    pending += text;
    if (pending.length >= PIECE_CHARACTERS) {
      write(pending);
      pending = "";
    }
  };
  writeValue(out, value, 0);
  write(`${pending}\n`);
}

/** A plain object or array whose members can be written one by one, as JSON.stringify would. */
function expandable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== "object" || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Writes a member's JSON at `depth` (undefined when JSON.stringify leaves it out: undefined, a function, a symbol). */
function memberText(value: unknown, depth: number): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  return text === undefined || depth === 0 ? text : text.replaceAll("\n", `\n${"  ".repeat(depth)}`);
}

function writeValue(out: (text: string) => void, value: Record<string, unknown> | unknown[], depth: number): void {
  const inner = "  ".repeat(depth + 1);
  let first = true;
  const open = Array.isArray(value) ? "[" : "{";
  const member = (prefix: string, item: unknown): boolean => {
    if (depth + 1 < EXPANDED_DEPTH && expandable(item)) {
      out(`${first ? `${open}\n` : ",\n"}${inner}${prefix}`);
      writeValue(out, item, depth + 1);
      return true;
    }
    const text = memberText(item, depth + 1);
    if (text === undefined) return false;
    out(`${first ? `${open}\n` : ",\n"}${inner}${prefix}${text}`);
    return true;
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      // JSON.stringify writes null for an array member it would leave out of an object.
      if (!member("", value[i])) out(`${first ? "[\n" : ",\n"}${inner}null`);
      first = false;
    }
  } else {
    for (const key of Object.keys(value)) {
      if (member(`${JSON.stringify(key)}: `, value[key])) first = false;
    }
  }
  out(first ? (Array.isArray(value) ? "[]" : "{}") : `\n${"  ".repeat(depth)}${Array.isArray(value) ? "]" : "}"}`);
}
