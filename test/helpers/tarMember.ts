import { gzipSync } from "node:zlib";

/**
 * A hand-built tar member (ustar header + data), for archives that the system `tar` will not make:
 * hard links, `..` in a path, a header with a wrong checksum.
 */
export function tarMember(options: { name: string; type?: string; data?: string | Uint8Array; linkname?: string; prefix?: string; gnu?: boolean }): Buffer {
  const data = typeof options.data === "string" ? Buffer.from(options.data) : Buffer.from(options.data ?? new Uint8Array());
  const header = Buffer.alloc(512);
  header.write(options.name, 0, 100, "utf8");
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
  header.write("00000000000\0", 136);
  header.write(options.type ?? "0", 156);
  if (options.linkname) header.write(options.linkname, 157, 100, "utf8");
  header.write(options.gnu ? "ustar  \0" : "ustar\u000000", 257, "binary");
  if (options.prefix) header.write(options.prefix, 345, 155, "utf8");
  header.write("        ", 148);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, padded]);
}

/** A pax record `<len> key=value\n` (the length counts itself). */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length++;
  return `${length}${body}`;
}

/** Members, the end-of-archive marker, gzip. */
export function tarGz(...members: Buffer[]): Buffer {
  return gzipSync(Buffer.concat([...members, Buffer.alloc(1024)]));
}
