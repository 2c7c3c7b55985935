import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderRollbackScript } from "../../src/core/generate/renderRollback.js";
import { generateContextOf } from "../core/generate/generateContextOf.js";

// RELIABILITY 12: the rollback script quotes every name; a real shell reads each back exactly,
// shellcheck finds nothing to say, and running it twice is harmless.
const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dbt-unskip-rollback-sh-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs a script with `rm` and `rmdir` replaced by functions that print their operand, NUL-separated. */
function operandsOf(script: string): Promise<string[]> {
  const spy = "rm() { printf 'rm:%s\\0' \"$3\"; }\nrmdir() { printf 'rmdir:%s\\0' \"$2\"; return 1; }\necho() { :; }\n";
  const body = script.replace("set -eu\n", `set -eu\n${spy}`);
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-s"], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("close", (code) => (code === 0 ? resolve(out.split("\0").slice(0, -1)) : reject(new Error(`sh exited ${code}`))));
    child.stdin.end(body);
  });
}

const hostile = fc.string({ unit: fc.constantFrom("a", " ", "'", '"', "$", "(", ")", "`", "\\", "\n", "-", "*", ";", "é", "|", "&", "!", "#"), minLength: 1, maxLength: 12 });

describe("the rollback script in a real shell", () => {
  it("every path comes back as exactly one argument, whatever it contains", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 1, maxLength: 5 }), fc.array(hostile, { maxLength: 3 }), async (names, dirs) => {
        const ctx = generateContextOf("id\n1\n");
        const files = names.map((n) => `/tmp/x/${n}`);
        ctx.createdDirs = dirs.map((d) => `/tmp/${d}`);
        const operands = await operandsOf(renderRollbackScript(ctx, files));
        const expectedDirs = [...ctx.createdDirs].sort((a, b) => b.length - a.length).map((d) => `rmdir:${d}`);
        expect(operands).toEqual([...files.map((f) => `rm:${f}`), ...expectedDirs]);
      }),
      { numRuns: 60 },
    );
  });

  it("shellcheck is clean on a script full of hostile names", async () => {
    const ctx = generateContextOf("id\n1\n");
    ctx.createdDirs = [join(dir, "new dir"), join(dir, "new dir", "$(touch pwned)")];
    const script = renderRollbackScript(ctx, [join(dir, "it's"), join(dir, "`id`"), join(dir, "-rf"), join(dir, "a\nb"), join(dir, "$HOME")]);
    const path = join(dir, "rollback.sh");
    await writeFile(path, script);
    const result = await run("shellcheck", ["--shell=sh", path]).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? "failed",
    );
    expect(result).toBe("");
  });

  it("removes exactly those files and the folders it created, runs twice without harm, and touches nothing else", async () => {
    const root = join(dir, "tree");
    const created = join(root, "made by generate");
    await mkdir(join(created, "deeper"), { recursive: true });
    const names = [join(created, "deeper", "it's $(here).sql"), join(created, "-rf"), join(root, "a\nb.yml")];
    for (const name of names) await writeFile(name, "x");
    await writeFile(join(root, "keep me.sql"), "mine");
    const ctx = generateContextOf("id\n1\n");
    ctx.createdDirs = [created, join(created, "deeper")];
    const script = join(dir, "rollback-real.sh");
    await writeFile(script, renderRollbackScript(ctx, names));
    await run("sh", [script]);
    await run("sh", [script]);
    expect(await readdir(root)).toEqual(["keep me.sql"]);
  });
});
