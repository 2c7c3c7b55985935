import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfillCommand } from "../../src/cli/backfillCommand.js";
import type { CliCommand, CliIo } from "../../src/cli/cliCommand.js";
import { generateCommand } from "../../src/cli/generateCommand.js";
import { planCommand } from "../../src/cli/planCommand.js";
import { pauseCommand } from "../../src/cli/pauseCommand.js";
import { restoreCommand } from "../../src/cli/restoreCommand.js";
import { rollbackCommand } from "../../src/cli/rollbackCommand.js";
import { runCommand } from "../../src/cli/runCommand.js";
import { statusCommand } from "../../src/cli/statusCommand.js";
import { verifyCommand } from "../../src/cli/verifyCommand.js";
import { COMMANDS as ALL_COMMANDS } from "../../src/cli/commands.js";
import { runCli, usage } from "../../src/cli/runCli.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";

// Every command's start, from the sources (the e2e tests run the committed bundle): help, option
// mistakes, name checks, the configuration, in the order each is said. Nothing here reaches dbt.

const COMMANDS: CliCommand[] = [statusCommand, restoreCommand, pauseCommand, generateCommand, planCommand, runCommand, rollbackCommand, backfillCommand, verifyCommand];

let empty: string;
let badConfig: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), "dbt-unskip-cli-"));
  badConfig = await mkdtemp(join(tmpdir(), "dbt-unskip-cli-"));
  await mkdir(join(badConfig, ".github"));
  await writeFile(join(badConfig, ".github", "dbt-unskip.yml"), "dimensions: [unclosed\n");
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
  await rm(badConfig, { recursive: true, force: true });
});

/** What one call said: its exit code or the error it threw, and both streams, with scratch paths named. */
async function call(command: CliCommand, argv: string[]): Promise<string> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: { isTTY: false } as NodeJS.ReadStream,
    cwd: empty,
  };
  let result: string;
  try {
    result = `exit ${await command.run(argv, io)}`;
  } catch (error) {
    result = `${(error as Error).name}: ${(error as Error).message}`;
  }
  const named = (text: string) => text.replaceAll(badConfig, "<bad-config>").replaceAll(empty, "<empty>").replaceAll(EXAMPLE_DIR, "<example>");
  return [named(`$ dbt-unskip ${command.name} ${argv.join(" ")}`.trimEnd()), named(result), ...(stdout ? ["stdout:", named(stdout)] : []), ...(stderr ? ["stderr:", named(stderr)] : [])].join("\n");
}

const CASES: Record<string, (roots: { empty: string; badConfig: string }) => string[][]> = {
  status: ({ empty, badConfig }) => [
    ["--dimension", "a-b"],
    ["--root", badConfig],
    ["--root", empty, "--dimension", "dim_user"],
    ["--root", EXAMPLE_DIR, "--dimension", "nope"],
    ["--root", EXAMPLE_DIR, "--project-dir", "nowhere"],
    ["--root", EXAMPLE_DIR, "--config", "missing.yml"],
    ["--root", EXAMPLE_DIR, "--project-dir", "dbt", "--dimension", "dim_product"],
  ],
  restore: ({ empty, badConfig }) => [
    [],
    ["--dimension", "a b"],
    ["--dimension", "dim_user", "--models", "a,,b c"],
    ["--dimension", "dim_user", "--timeout", "soon"],
    ["--dimension", "dim_user", "--timeout=-1", "--root", badConfig],
    ["--dimension", "dim_user", "--root", badConfig],
    ["--dimension", "dim_user", "--root", empty, "--config", "missing.yml"],
  ],
  pause: ({ empty, badConfig }) => [
    [],
    ["--dimension", "a b"],
    ["--dimension", "dim_user", "--models", "a,,b c"],
    ["--dimension", "dim_user", "--timeout", "soon"],
    ["--dimension", "dim_user", "--timeout=-1", "--root", badConfig],
    ["--dimension", "dim_user", "--root", badConfig],
    ["--dimension", "dim_user", "--root", empty, "--config", "missing.yml"],
    ["--dimension", "dim_user", "--root", empty, "--dbt", "/nowhere/dbt", "--dry-run"],
  ],
  generate: ({ badConfig }) => [
    [],
    ["--csv", ""],
    ["--csv", "x.csv"],
    ["--csv", "x.csv", "--name", "a.b"],
    ["--csv", "x.csv", "--name", "x", "--as", "model"],
    ["--csv", "x.csv", "--name", "x", "--dialect", "oracle"],
    ["--csv", "x.csv", "--name", "x", "--schema", "a-b", "--root", badConfig],
    ["--csv", "x.csv", "--name", "x", "--root", badConfig],
  ],
  plan: ({ empty, badConfig }) => [
    [],
    ["--dimension", "x;y"],
    ["--dimension", "dim_user", "--models", "ok,n-o"],
    ["--dimension", "dim_user", "--root", badConfig, "--timeout", "soon"],
    ["--dimension", "dim_user", "--root", empty, "--timeout", "soon"],
    ["--dimension", "dim_user", "--root", empty, "--pass-env", "A-B"],
    ["--dimension", "dim_user", "--root", empty, "--timeout", "0", "--json"],
  ],
  run: ({ empty, badConfig }) => [
    [],
    ["--dimension", "../x"],
    ["--dimension", "dim_user", "--root", badConfig, "--timeout", "soon"],
    ["--dimension", "dim_user", "--root", empty, "--timeout", "soon"],
    ["--dimension", "dim_user", "--root", empty, "--pass-env", "1X"],
  ],
  rollback: ({ empty, badConfig }) => [
    [],
    ["--dimension", "../x"],
    ["--dimension", "dim_user", "--root", badConfig, "--timeout", "soon"],
    ["--dimension", "dim_user", "--root", empty, "--timeout", "soon", "--json"],
  ],
  verify: ({ empty, badConfig }) => [
    ["--dimension", "dim_user"],
    ["--root", badConfig],
    ["--root", empty, "--timeout", "soon"],
    ["--root", empty, "--pass-env", "A-B"],
    ["--root", EXAMPLE_DIR, "--config", "missing.yml"],
    ["--root", EXAMPLE_DIR, "--dbt", "/nowhere/dbt", "--json"],
  ],
  backfill: ({ empty, badConfig }) => [
    [],
    ["--model", "m", "--start", "2026-01-01"],
    ["--model", "m-1", "--start", "2026-01-01", "--end", "2026-01-03"],
    ["--model", "m", "--start", "2026-01-01", "--end", "2026-01-03", "--batch", "week"],
    ["--model", "m", "--start", "2026-13-01", "--end", "2026-01-03", "--root", badConfig],
    ["--model", "m", "--start", "2026-01-01", "--end", "2026-01-03", "--root", badConfig],
    ["--model", "m", "--start", "2026-01-01", "--end", "2026-01-03", "--root", empty, "--timeout", "soon"],
  ],
};

describe("dbt-unskip --help / --version with --json", () => {
  it("print one JSON document (the usage, the version), as every command's --json does", async () => {
    for (const [argv, expected] of [
      [["--help", "--json"], { result: "help", command: null, help: usage(ALL_COMMANDS) }],
      [["--json", "-h"], { result: "help", command: null, help: usage(ALL_COMMANDS) }],
      [["help", "--json"], { result: "help", command: null, help: usage(ALL_COMMANDS) }],
      [["--version", "--json"], { result: "version", version: "9.9.9" }],
    ] as const) {
      let stdout = "";
      const io: CliIo = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true }, stdin: { isTTY: false } as NodeJS.ReadStream, cwd: empty };
      expect(await runCli([...argv], io, ALL_COMMANDS, "9.9.9"), argv.join(" ")).toBe(0);
      expect(JSON.parse(stdout), argv.join(" ")).toEqual(expected);
    }
  });
});

describe.each(COMMANDS.map((c) => [c.name, c] as const))("dbt-unskip %s: its start, said exactly", (name, command) => {
  it("--help and -h print the help alone (exit 0), before any other check; with --json as one JSON document", async () => {
    for (const argv of [["--help"], ["-h", "--root", "/nowhere"], ["--json", "-h", "--root", "/nowhere"], ["--bogus", "--help"]]) {
      const text = await call(command, argv);
      if (argv[0] === "--bogus") {
        expect(text).toContain(`UserError: Unknown option '--bogus'`);
        expect(text).toContain(`Run \`dbt-unskip ${name} --help\` for usage.`);
      } else if (argv[0] === "--json") {
        // docs/json-contract.md: --json is always one JSON document on stdout, help included.
        const [head, stdout] = text.split("\nstdout:\n");
        expect(head).toBe(`$ dbt-unskip ${name} ${argv.join(" ")}\nexit 0`);
        expect(JSON.parse(stdout!)).toEqual({ result: "help", command: name, help: command.help });
      } else expect(text).toBe(`$ dbt-unskip ${name} ${argv.join(" ")}\nexit 0\nstdout:\n${command.help}\n`);
    }
  });

  it("option mistakes, names, the configuration: each message as it was", async () => {
    const said = [];
    for (const argv of CASES[name]!({ empty, badConfig })) said.push(await call(command, argv));
    await expect(`${said.join("\n\n")}\n`).toMatchFileSnapshot(`__snapshots__/${name}.start.txt`);
    await expect(`${command.help}\n`).toMatchFileSnapshot(`__snapshots__/${name}.help.txt`);
  });
});
