import { UserError } from "../../core/userError.js";

/** One member of a tar archive, as the tool needs it: contents for files, nothing to follow for the rest. */
export type TarEntry = { kind: "file"; path: string; bytes: Uint8Array } | { kind: "symlink"; path: string; target: string } | { kind: "other"; path: string; reason: string };

export interface TarContents {
  entries: TarEntry[];
  /** The global pax header's `comment`: GitHub (and `git archive`) put the commit id there. */
  comment: string | null;
}

const BLOCK = 512;
const utf8 = new TextDecoder("utf-8");

/**
 * Reads a tar archive held in memory: POSIX ustar headers (with the `prefix` field), pax extended
 * headers (`x`, for long or non-ASCII names and large sizes; `g` read for its comment), and GNU long
 * names (`L`/`K`). Hand-written rather than a dependency because GitHub's archives use only these
 * few features, and a reader this small can be checked line by line. A damaged archive (bad
 * checksum, truncated member, malformed pax record) is refused as a whole: half a repository would
 * give wrong verdicts.
 */
export function readTarEntries(tar: Uint8Array, options: { maxEntries?: number } = {}): TarContents {
  const maxEntries = options.maxEntries ?? 500_000;
  const entries: TarEntry[] = [];
  let comment: string | null = null;
  // Extended attributes and GNU long names apply to the next real member only.
  let pax: Record<string, string> = {};
  let longName: string | null = null;
  let longLink: string | null = null;

  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    checkChecksum(header, offset);
    const type = String.fromCharCode(header[156] || 0x30);
    const headerSize = readNumber(header.subarray(124, 136), offset);
    const meta = type === "x" || type === "g" || type === "L" || type === "K";
    const size = !meta && pax.size !== undefined ? parseSize(pax.size, offset) : headerSize;
    const start = offset + BLOCK;
    if (start + size > tar.length) throw bad(`member at byte ${offset} is cut short (the archive is truncated)`);
    const data = tar.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;

    if (type === "x") {
      pax = { ...pax, ...readPaxRecords(data, offset) };
      continue;
    }
    if (type === "g") {
      comment = readPaxRecords(data, offset).comment ?? comment;
      continue;
    }
    if (type === "L") {
      longName = cString(data);
      continue;
    }
    if (type === "K") {
      longLink = cString(data);
      continue;
    }

    const path = normalizePath(pax.path ?? longName ?? headerPath(header));
    const linkTarget = pax.linkpath ?? longLink ?? cString(header.subarray(157, 257));
    pax = {};
    longName = null;
    longLink = null;
    if (type === "5" || path === "") continue; // folders are implied by the files in them
    if (entries.length >= maxEntries) throw bad(`more than ${maxEntries} members`);
    if (type === "0" || type === "7") entries.push({ kind: "file", path, bytes: data });
    else if (type === "2") entries.push({ kind: "symlink", path, target: linkTarget });
    else if (type === "1") entries.push({ kind: "other", path, reason: "hard link (not followed)" });
    else entries.push({ kind: "other", path, reason: "not a regular file" });
  }
  return { entries, comment };
}

/** ustar splits long names into `prefix` and `name`; GNU archives use that space for other fields. */
function headerPath(header: Uint8Array): string {
  const name = cString(header.subarray(0, 100));
  const posix = cString(header.subarray(257, 263)) === "ustar" && header[262] === 0;
  const prefix = posix ? cString(header.subarray(345, 500)) : "";
  return prefix ? `${prefix}/${name}` : name;
}

function normalizePath(path: string): string {
  return path.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return utf8.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** Numeric fields are octal text, or (GNU, for values that do not fit) base-256 with the top bit set. */
function readNumber(field: Uint8Array, offset: number): number {
  if ((field[0] ?? 0) & 0x80) {
    let value = field[0]! & 0x3f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    if (!Number.isSafeInteger(value)) throw bad(`header at byte ${offset} has a size too large to read`);
    return value;
  }
  const text = cString(field).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw bad(`header at byte ${offset} has a malformed number '${text}'`);
  return parseInt(text, 8);
}

function parseSize(text: string, offset: number): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw bad(`pax size '${text}' before byte ${offset} is not a number`);
  return Number(text);
}

/** The checksum catches a damaged or misaligned archive before its bytes are taken as names. */
function checkChecksum(header: Uint8Array, offset: number): void {
  const stored = readNumber(header.subarray(148, 156), offset);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  if (sum !== stored) throw bad(`header at byte ${offset} fails its checksum`);
}

/** pax records: `<length> <key>=<value>\n`, where the length counts the whole record in bytes. */
function readPaxRecords(data: Uint8Array, offset: number): Record<string, string> {
  const records: Record<string, string> = {};
  for (let pos = 0; pos < data.length; ) {
    if (data[pos] === 0) break; // padding
    const space = data.indexOf(0x20, pos);
    const length = space < 0 ? NaN : Number(utf8.decode(data.subarray(pos, space)));
    if (!Number.isSafeInteger(length) || length <= space - pos + 1 || pos + length > data.length || data[pos + length - 1] !== 0x0a) {
      throw bad(`malformed pax header before byte ${offset}`);
    }
    const record = utf8.decode(data.subarray(space + 1, pos + length - 1));
    const equals = record.indexOf("=");
    if (equals <= 0) throw bad(`malformed pax record before byte ${offset}`);
    records[record.slice(0, equals)] = record.slice(equals + 1);
    pos += length;
  }
  return records;
}

function bad(detail: string): UserError {
  return new UserError(`the repository archive is not a readable tar file: ${detail}`);
}
