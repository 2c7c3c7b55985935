import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readTarEntries } from "../../../src/adapters/github/tarballEntries.js";
import { tarballFileSource, unpackTarball } from "../../../src/adapters/github/tarballFileSource.js";
import { UserError } from "../../../src/core/userError.js";
import { paxRecord, tarGz, tarMember } from "../../helpers/tarMember.js";

const ROOT = "acme-warehouse-0123456/";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const tar = (...members: Buffer[]) => Buffer.concat([...members, Buffer.alloc(1024)]);

describe("readTarEntries (hand-built archives)", () => {
  it("reads ustar files, joins the prefix field, skips folders, stops at the end marker", () => {
    const { entries, comment } = readTarEntries(
      tar(tarMember({ name: ROOT, type: "5" }), tarMember({ name: "m.sql", prefix: `${ROOT}models`, data: "select 1" }), tarMember({ name: `${ROOT}a.txt`, type: "\0", data: "a" })),
    );
    expect(comment).toBeNull();
    expect(entries.map((e) => [e.kind, e.path])).toEqual([
      ["file", `${ROOT}models/m.sql`],
      ["file", `${ROOT}a.txt`],
    ]);
    expect(Buffer.from((entries[0] as { bytes: Uint8Array }).bytes).toString()).toBe("select 1");
  });

  it("takes long names and sizes from pax headers, and the commit from the global header's comment", () => {
    const long = `${ROOT}${"deep/".repeat(30)}model.sql`;
    const entries = readTarEntries(
      tar(
        tarMember({ name: "pax_global_header", type: "g", data: paxRecord("comment", SHA) }),
        tarMember({ name: "PaxHeaders/x", type: "x", data: paxRecord("path", long) + paxRecord("mtime", "1.5") }),
        tarMember({ name: "truncated-name", data: "select 2" }),
        tarMember({ name: `${ROOT}after.sql`, data: "select 3" }),
      ),
    );
    expect(entries.comment).toBe(SHA);
    expect(entries.entries.map((e) => e.path)).toEqual([long, `${ROOT}after.sql`]);
  });

  it("reads GNU long names and long link targets (././@LongLink)", () => {
    const long = `${ROOT}${"x".repeat(150)}.sql`;
    const target = `../${"t".repeat(120)}`;
    const { entries } = readTarEntries(
      tar(
        tarMember({ name: "././@LongLink", type: "L", data: `${long}\0`, gnu: true }),
        tarMember({ name: long.slice(0, 99), data: "select 4", gnu: true }),
        tarMember({ name: "././@LongLink", type: "L", data: `${ROOT}link.sql\0`, gnu: true }),
        tarMember({ name: "././@LongLink", type: "K", data: `${target}\0`, gnu: true }),
        tarMember({ name: "short", type: "2", linkname: "ignored", gnu: true }),
      ),
    );
    expect(entries).toEqual([
      { kind: "file", path: long, bytes: expect.any(Uint8Array) },
      { kind: "symlink", path: `${ROOT}link.sql`, target },
    ]);
  });

  it("names hard links, devices and fifos as members that are not followed", () => {
    const { entries } = readTarEntries(tar(tarMember({ name: `${ROOT}h.sql`, type: "1", linkname: `${ROOT}a.sql` }), tarMember({ name: `${ROOT}p`, type: "6" })));
    expect(entries).toEqual([
      { kind: "other", path: `${ROOT}h.sql`, reason: "hard link (not followed)" },
      { kind: "other", path: `${ROOT}p`, reason: "not a regular file" },
    ]);
  });

  it("refuses a damaged archive as a whole: bad checksum, truncated member, malformed pax record, too many members", () => {
    const damaged = tar(tarMember({ name: `${ROOT}a.sql`, data: "select 1" }));
    damaged[5] = 0x41;
    expect(() => readTarEntries(damaged)).toThrow(/fails its checksum/);
    const whole = tarMember({ name: `${ROOT}a.sql`, data: "x".repeat(2000) });
    expect(() => readTarEntries(whole.subarray(0, 1024))).toThrow(/truncated/);
    expect(() => readTarEntries(tar(tarMember({ name: "x", type: "x", data: "99 path=a\n" }), tarMember({ name: "a" })))).toThrow(/malformed pax/);
    expect(() => readTarEntries(tar(tarMember({ name: "a" }), tarMember({ name: "b" })), { maxEntries: 1 })).toThrow(/more than 1 members/);
    expect(() => readTarEntries(damaged)).toThrow(UserError);
  });
});

describe("tarballFileSource", () => {
  const source = async (...members: Buffer[]) => tarballFileSource(await unpackTarball(tarGz(...members), 1024 * 1024));

  it("gives paths relative to the archive's top folder, as a checkout has them", async () => {
    const files = await source(
      tarMember({ name: "pax_global_header", type: "g", data: paxRecord("comment", SHA) }),
      tarMember({ name: `${ROOT}dbt/models/b.sql`, data: "select 1" }),
      tarMember({ name: `${ROOT}dbt/models/a.sql.skip`, data: "select {{ ref('b') }}" }),
      tarMember({ name: `${ROOT}dbt/.hidden.sql`, data: "x" }),
      tarMember({ name: `${ROOT}README.md`, data: "# hi" }),
    );
    expect(files.commit).toBe(SHA);
    expect(await files.list("")).toEqual(["README.md", "dbt/.hidden.sql", "dbt/models/a.sql.skip", "dbt/models/b.sql"]);
    expect(await files.list("dbt/models/")).toEqual(["dbt/models/a.sql.skip", "dbt/models/b.sql"]);
    expect(await files.list("nowhere")).toEqual([]);
    expect(await files.glob(["dbt/**/*.sql"])).toEqual(["dbt/models/b.sql"]);
    expect(await files.read("dbt/models/a.sql.skip")).toEqual({ kind: "text", text: "select {{ ref('b') }}" });
    expect(await files.read("missing.sql")).toBeNull();
  });

  it("never follows a symbolic link, and says why a member cannot be read", async () => {
    const files = await source(
      tarMember({ name: `${ROOT}models/link.sql`, type: "2", linkname: "/etc/passwd" }),
      tarMember({ name: `${ROOT}models/hard.sql`, type: "1", linkname: `${ROOT}models/link.sql` }),
      tarMember({ name: `${ROOT}models/bin.sql`, data: new Uint8Array([1, 0, 2]) }),
    );
    expect(await files.read("models/link.sql")).toEqual({ kind: "unreadable", reason: "symbolic link (not followed)" });
    expect(await files.read("models/hard.sql")).toEqual({ kind: "unreadable", reason: "hard link (not followed)" });
    expect(await files.read("models/bin.sql")).toMatchObject({ kind: "unreadable", reason: expect.stringMatching(/binary/) });
    expect(await files.list("models")).toEqual(["models/bin.sql", "models/hard.sql", "models/link.sql"]);
  });

  it("drops members outside the top folder and paths git could never hold (`..`, `.`, empty parts)", async () => {
    const files = await source(
      tarMember({ name: `${ROOT}ok.sql`, data: "1" }),
      tarMember({ name: `${ROOT}../escape.sql`, data: "2" }),
      tarMember({ name: `${ROOT}a/./b.sql`, data: "3" }),
      tarMember({ name: `${ROOT}a//c.sql`, data: "4" }),
      tarMember({ name: "other-root/x.sql", data: "5" }),
    );
    expect(await files.list("")).toEqual(["ok.sql"]);
  });

  it("refuses an archive that unpacks past the limit, and one that is not gzip", async () => {
    const big = tarGz(tarMember({ name: `${ROOT}big.csv`, data: "0".repeat(200_000) }));
    expect(big.length).toBeLessThan(2000);
    await expect(unpackTarball(big, 100_000)).rejects.toThrow(/unpacks to more than 100000 bytes/);
    await expect(unpackTarball(Buffer.from("not gzip"), 100_000)).rejects.toThrow(/not gzip/);
    await expect(unpackTarball(gzipSync(Buffer.from("x".repeat(600))), 100_000)).rejects.toThrow(UserError);
  });
});
