import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { localDisk } from "../../src/adapters/files/localDisk.js";
import type { CliIo } from "../../src/cli/cliCommand.js";
import { COMMANDS } from "../../src/cli/commands.js";
import { runCli } from "../../src/cli/runCli.js";
import { parseCommandArgs } from "../../src/cli/cliCommand.js";
import { DBT_OPTIONS } from "../../src/cli/dbtCommandContext.js";
import { runWarehouseCommand } from "../../src/cli/runWarehouseCommand.js";
import { invokeDbt } from "../../src/adapters/dbt/dbtContext.js";
import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";
import { fakeDbt, scriptDir } from "../helpers/fakeTools.js";
import { createTestRepo } from "../helpers/gitRepo.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";

// (An int test: git repositories, stand-in dbt processes, and a signal emitted in this process.)
// `--json` is a contract with scripts: whatever happens, stdout carries exactly one JSON document:
// the result, the `interrupted` object after Ctrl-C/SIGTERM, or a `failed` object after a user error
// or an internal failure (the human line still goes to stderr). The signal is emitted in-process
// (no clock): the command's interrupt guard is the only listener, as for a real SIGINT.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "dbt-unskip-json-"));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], cwd = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: { isTTY: false } as NodeJS.ReadStream,
    cwd,
  };
  const code = await runCli(argv, io, COMMANDS, "test");
  return { code, stdout, stderr };
}

/** stdout as exactly one JSON document (JSON.parse refuses two, or trailing text). */
const oneDocument = (stdout: string): Record<string, unknown> => JSON.parse(stdout) as Record<string, unknown>;

/** Arguments each command needs to get past its own required options. */
const REQUIRED: Record<string, string[]> = {
  pause: ["--dimension", "dim_user"],
  restore: ["--dimension", "dim_user"],
  plan: ["--dimension", "dim_user"],
  run: ["--dimension", "dim_user"],
  rollback: ["--dimension", "dim_user"],
  backfill: ["--model", "m", "--start", "2026-01-01", "--end", "2026-01-02"],
  generate: ["--csv", "x.csv", "--name", "x"],
};

describe("--json after a user error: one `failed` JSON object on stdout, the line on stderr, exit 2", () => {
  it.each(COMMANDS.map((c) => [c.name] as const))("%s --root <missing>", async (name) => {
    const { code, stdout, stderr } = await cli([name, ...(REQUIRED[name] ?? []), "--json", "--root", join(dir, "missing")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^dbt-unskip: --root .*missing/);
    const json = oneDocument(stdout);
    expect(json).toEqual({ result: "failed", command: name, exitCode: 2, error: expect.stringContaining("--root") });
  });

  it("an unknown option, a missing --dimension, a bad name, a folder that is not a dbt project", async () => {
    for (const argv of [
      ["status", "--json", "--nope"],
      ["restore", "--json"],
      ["pause", "--json", "--dimension", "a-b"],
      ["status", "--json"],
    ]) {
      const { code, stdout } = await cli(argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(oneDocument(stdout)).toMatchObject({ result: "failed", command: argv[0], exitCode: 2 });
    }
  });

  it("without --json stdout stays empty; an unknown command with --json gets the object too", async () => {
    expect((await cli(["status", "--root", join(dir, "missing")])).stdout).toBe("");
    expect((await cli(["nope", "--json"])).stdout).toContain('"command": "nope"');
  });
});

describe("--json after an interrupt: one `interrupted` JSON object on stdout", () => {
  it("generate stopped while it lays out its files: the interrupted object, nothing written, exit 130", async () => {
    const repo = join(dir, "repo");
    await cp(EXAMPLE_DIR, repo, { recursive: true });
    await writeFile(join(dir, "users.csv"), "id,name\n1,a\n2,b\n");
    const before = await readdir(join(repo, "dbt"), { recursive: true });
    // The first look at the disk inside the command's guard is where Ctrl-C arrives.
    const exists = localDisk.exists;
    let sent = false;
    vi.spyOn(localDisk, "exists").mockImplementation(async (path) => {
      if (!sent) {
        sent = true;
        process.emit("SIGINT", "SIGINT");
      }
      return exists(path);
    });
    const { code, stdout, stderr } = await cli(["generate", "--root", repo, "--project-dir", "dbt", "--csv", join(dir, "users.csv"), "--name", "new_users", "--yes", "--json"]);
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(oneDocument(stdout)).toEqual({
      result: "interrupted",
      command: "generate",
      signal: "SIGINT",
      written: [],
      error: "stopped by SIGINT before it finished; nothing was written",
    });
    expect(stderr.trimEnd().split("\n").at(-1)).toBe("SIGINT: nothing was written.");
    expect(await readdir(join(repo, "dbt"), { recursive: true })).toEqual(before);
  });
});

describe("Ctrl-C at generate's question", () => {
  it("is the interrupt: the interrupted object, nothing written, exit 130 (not 'cancelled')", async () => {
    const repo = join(dir, "repo");
    await cp(EXAMPLE_DIR, repo, { recursive: true });
    await writeFile(join(dir, "users.csv"), "id,name\n1,a\n2,b\n");
    const before = await readdir(join(repo, "dbt"), { recursive: true });
    // A terminal: readline asks on it; Ctrl-C there reaches the guard as SIGINT, and the answer is no.
    const stdin = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.ReadStream;
    const errWrite = vi.spyOn(process.stderr, "write").mockImplementation(((text: string) => {
      if (text.includes("Write these files?")) {
        process.emit("SIGINT", "SIGINT");
        (stdin as unknown as PassThrough).write("n\n");
      }
      return true;
    }) as never);
    let stdout = "";
    let stderr = "";
    const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, stdin, cwd: dir };
    const code = await runCli(["generate", "--root", repo, "--project-dir", "dbt", "--csv", join(dir, "users.csv"), "--name", "new_users", "--json"], io, COMMANDS, "test");
    errWrite.mockRestore();
    expect(code, stderr).toBe(130);
    expect(oneDocument(stdout)).toEqual({ result: "interrupted", command: "generate", signal: "SIGINT", written: [], error: "stopped by SIGINT before it finished; nothing was written" });
    expect(stderr.trimEnd().split("\n").at(-1)).toBe("SIGINT: nothing was written.");
    expect(await readdir(join(repo, "dbt"), { recursive: true })).toEqual(before);
  });
});

// run goes through the same path as rollback (runRestoredDimensionCommand) but needs a restore
// commit to get as far as reading the project.
describe("--json when the warehouse commands are stopped before they have a result", () => {
  it.each([
    ["rollback", ["--dimension", "dim_user"]],
    ["backfill", ["--model", "f_user_logins_daily", "--start", "2026-01-01", "--end", "2026-01-02"]],
  ] as const)("%s: the interrupted object, exit 130", async (name, args) => {
    const testRepo = await createTestRepo(EXAMPLE_DIR);
    const repo = testRepo.dir;
    const scripts = await scriptDir();
    try {
      const dbt = await fakeDbt(scripts, "dbt");
      // Ctrl-C arrives at the use case's first read of the project, before any dbt command runs.
      let sent = false;
      for (const method of ["tree", "exists", "readText", "realpath", "stat"] as const) {
        const original = localDisk[method] as (...a: unknown[]) => unknown;
        vi.spyOn(localDisk, method).mockImplementation(((...a: unknown[]) => {
          if (!sent) {
            sent = true;
            process.emit("SIGINT", "SIGINT");
          }
          return original(...a);
        }) as never);
      }
      const { code, stdout, stderr } = await cli([name, ...args, "--root", repo, "--project-dir", "dbt", "--dbt", dbt.command, "--yes", "--json"]);
      expect(sent, stderr).toBe(true);
      expect(code, stderr).toBe(130);
      expect(oneDocument(stdout)).toEqual({
        result: "interrupted",
        command: name,
        signal: "SIGINT",
        written: [],
        // No dbt had begun: the JSON does not claim dbt was stopped either.
        error: expect.stringMatching(/^stopped by SIGINT before it finished; it was stopped before dbt ran \(.+\)$/),
      });
      // No dbt was running: the line does not claim to stop one.
      expect(stderr).toContain(name === "backfill" ? "\nInterrupted: stopping; finished batches stay recorded.\n" : "\nInterrupted: stopping.\n");
      expect(stderr).not.toContain("stopping dbt");
    } finally {
      await testRepo.cleanup();
      await rm(scripts, { recursive: true, force: true });
    }
  });
});

describe("a signal while no command guard listens (reading the configuration, a static status)", () => {
  it("ends at once with the interrupted object and exit 130; silent while a guard listens", async () => {
    const signals = new EventEmitter();
    let stdoutAtExit: string | null = null;
    let exitCode: number | null = null;
    let stdout = "";
    let stderr = "";
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: { isTTY: false } as NodeJS.ReadStream,
      cwd: dir,
    };
    const exit = (code: number) => {
      stdoutAtExit ??= stdout;
      exitCode ??= code;
    };
    // A guard listening: the fallback leaves the signal to it.
    const guard = () => {};
    signals.on("SIGTERM", guard);
    const running = runCli(["status", "--json", "--root", EXAMPLE_DIR], io, COMMANDS, "test", false, { signals, exit });
    signals.emit("SIGTERM", "SIGTERM");
    expect(exitCode).toBe(null);
    signals.off("SIGTERM", guard);
    // No guard: the process ends here (a real exit stops the command; this one goes on).
    signals.emit("SIGINT", "SIGINT");
    expect(exitCode).toBe(130);
    expect(oneDocument(stdoutAtExit!)).toEqual({
      result: "interrupted",
      command: "status",
      signal: "SIGINT",
      written: [],
      error: "stopped by SIGINT before it finished; nothing had been changed yet",
    });
    expect(stderr).toContain("SIGINT: stopped; nothing had been changed yet.");
    await running;
    // Its listeners are gone once the command has ended.
    expect(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM")).toBe(0);
  });
});

describe("Ctrl-C at the question of run, rollback, backfill (runWarehouseCommand)", () => {
  it("is said as an interrupt: result interrupted, no 'arrived after the work had finished', exit 130", async () => {
    const scripts = await scriptDir();
    try {
      const dbt = await fakeDbt(scripts, "dbt");
      const { common, values } = parseCommandArgs("backfill", ["--json", "--dbt", dbt.command, "--root", dir], DBT_OPTIONS, dir);
      let json: unknown;
      let log = "";
      const code = await runWarehouseCommand(
        { values, common, root: dir, config: DEFAULT_CONFIG, log: { write: (t: string) => (log += t) }, print: (result) => (json = result) },
        {
          noun: "backfill",
          json: { write: () => {} },
          defaultTimeoutSeconds: 60,
          interruptMessage: (dbtRunning) => `Interrupted: stopping${dbtRunning ? " dbt" : ""}.`,
          exit: { cancelled: 0, interrupted: 130 },
          render: () => "",
          work: async () => {
            // As confirmOnTerminal does when readline reads Ctrl-C at the prompt.
            process.emit("SIGINT", "SIGINT");
            return { result: "cancelled" as "cancelled" | "interrupted", error: null };
          },
        },
      );
      expect(code).toBe(130);
      expect(json).toEqual({ result: "interrupted", error: "stopped by SIGINT at the question, before anything ran" });
      expect(log).not.toContain("arrived after the work had finished");
      // No dbt runs at the question: the line does not say one is being stopped.
      expect(log).toContain("\nInterrupted: stopping.\n");
    } finally {
      await rm(scripts, { recursive: true, force: true });
    }
  });

  it("says 'stopping dbt' when the signal comes while a dbt the use case started runs (invokeDbt runs it inside the context's `around`)", async () => {
    const scripts = await scriptDir();
    try {
      const dbt = await fakeDbt(scripts, "dbt");
      const { common, values } = parseCommandArgs("run", ["--dbt", dbt.command, "--root", dir], DBT_OPTIONS, dir);
      let log = "";
      const code = await runWarehouseCommand(
        { values, common, root: dir, config: DEFAULT_CONFIG, log: { write: (t: string) => (log += t) }, print: () => {} },
        {
          noun: "run",
          json: { write: () => {} },
          defaultTimeoutSeconds: 60,
          interruptMessage: (dbtRunning) => `Interrupted: stopping${dbtRunning ? " dbt" : ""}.`,
          exit: { completed: 0, interrupted: 130 },
          render: () => "",
          work: async (context) => {
            const { around } = context.dbt;
            // As invokeDbt runs every dbt: inside `around`; the signal arrives while it runs.
            await invokeDbt(
              {
                ...context.dbt,
                projectDir: dir,
                around: (run) =>
                  around!(async () => {
                    process.emit("SIGINT", "SIGINT");
                    return run();
                  }),
              },
              ["--version"],
            );
            return { result: "interrupted" as "completed" | "interrupted", error: "stopped" };
          },
        },
      );
      expect(code).toBe(130);
      expect(log).toContain("\nInterrupted: stopping dbt.\n");
    } finally {
      await rm(scripts, { recursive: true, force: true });
    }
  });
});
