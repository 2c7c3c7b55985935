import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCliFromSource, startCli } from "../helpers/cliFromSource.js";
import { makeGate, scriptDir } from "../helpers/fakeTools.js";
import { createTestRepo } from "../helpers/gitRepo.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { pathExists } from "../../src/adapters/files/pathExists.js";

// RELIABILITY 28 for the commands whose dbt parse runs in a scratch copy (`status --exact`,
// `verify`): the CLI (bundled from the sources, a real process) gets SIGINT or SIGTERM while a
// stand-in dbt parses; the signal goes to the CLI alone, so only the CLI can stop dbt. The stand-in
// writes down where it runs (the scratch copy) and its pid, then stops at a gate; no clock is involved.
let bundle: string;
beforeAll(async () => {
  bundle = await buildCliFromSource();
});
afterAll(async () => {
  await rm(dirname(bundle), { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const CASES = [
  { args: ["status", "--exact"], noun: "status", signal: "SIGINT" as const, code: 130 },
  { args: ["status", "--exact"], noun: "status", signal: "SIGTERM" as const, code: 143 },
  { args: ["verify"], noun: "verify", signal: "SIGTERM" as const, code: 143 },
  // --json: the JSON result says interrupted (as restore --json and pause --json do), nothing written.
  { args: ["verify", "--json"], noun: "verify", signal: "SIGINT" as const, code: 130, json: true },
  { args: ["status", "--exact", "--json"], noun: "status", signal: "SIGTERM" as const, code: 143, json: true },
  { args: ["plan", "--dimension", "dim_user", "--json", "--out", "plan-out"], noun: "plan", signal: "SIGINT" as const, code: 130, json: true },
];

describe("an interrupt while dbt parses a scratch copy stops dbt, removes the copy and says so", () => {
  it.each(CASES.map((c) => [`${c.args.join(" ")}, ${c.signal}: exit ${c.code}`, c] as const))("%s", async (_title, c) => {
    const repo = await createTestRepo(EXAMPLE_DIR);
    const scripts = await scriptDir();
    try {
      const { gate, ready, hold } = await makeGate(scripts, "parse");
      const seen = join(scripts, "seen");
      const dbt = join(scripts, "dbt");
      await writeFile(
        dbt,
        `#!/bin/sh\nif [ "$1" = "--version" ]; then printf 'Core:\\n  - installed: 1.11.16\\n'; exit 0; fi\nprintf '%s %s\\n' "$$" "$(pwd)" > '${seen}'\nexec 3<>'${hold}'\necho here > '${ready}'\nread line <&3\nexit 0\n`,
      );
      await chmod(dbt, 0o755);
      const cli = startCli(bundle, [...c.args, "--dbt", dbt], repo.dir, { PATH: process.env.PATH!, HOME: process.env.HOME ?? "", UNSKIP_DBT_FORK_SERVER: "0" });
      await Promise.race([gate.reached(), cli.exit.then(({ output }) => Promise.reject(new Error(`the CLI ended before dbt parse:\n${output}`)))]);
      const [pid, scratch] = (await readFile(seen, "utf8")).trim().split(" ");
      expect(alive(Number(pid))).toBe(true);
      expect(await pathExists(scratch!)).toBe(true);
      process.kill(cli.child.pid!, c.signal);
      const { code, output, stdout, stderr } = await cli.exit;
      gate.close();

      expect(code).toBe(c.code);
      expect(output).toContain(`Interrupted: stopping dbt; the ${c.noun} changes nothing.`);
      // The last line of the log (with --json it is stderr, and stdout's JSON may arrive after it through its own pipe).
      expect(("json" in c ? stderr : stdout).trimEnd().split("\n").at(-1)).toBe(`${c.signal}: the ${c.noun} was stopped before it finished; nothing was printed or written as its result.`);
      expect(output).not.toMatch(/internal error|dbt parse failed/);
      if ("json" in c) {
        // stdout is exactly one JSON document.
        expect(JSON.parse(stdout)).toEqual({
          result: "interrupted",
          command: c.noun,
          signal: c.signal,
          written: [],
          error: `stopped by ${c.signal} before it finished; dbt was stopped and nothing was written`,
        });
        expect(await pathExists(join(repo.dir, "plan-out"))).toBe(false);
      }
      // No dbt left running, no scratch copy left behind.
      expect(alive(Number(pid))).toBe(false);
      expect(await pathExists(scratch!)).toBe(false);
    } finally {
      await repo.cleanup();
      await rm(scripts, { recursive: true, force: true });
    }
  });
});
