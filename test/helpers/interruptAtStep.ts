import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { pathExists } from "../../src/adapters/files/pathExists.js";
import { buildCliFromSource, startCli } from "./cliFromSource.js";
import { fakeDbt, fakeGitDir, makeGate, scriptDir } from "./fakeTools.js";
import type { TestRepo } from "./gitRepo.js";

/**
 * One CLI bundle built from the sources for the test file, and the repositories its tests made,
 * removed after each test. Call at the top of a file; `bundle()` is ready inside the tests.
 */
export function cliBundlePerFile(): { bundle: () => string; track: (repo: TestRepo) => TestRepo } {
  let bundle: string | null = null;
  const repos: TestRepo[] = [];
  beforeAll(async () => {
    bundle = await buildCliFromSource();
  });
  afterAll(async () => {
    if (bundle !== null) await rm(dirname(bundle), { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const repo of repos.splice(0)) await repo.cleanup();
  });
  return {
    bundle: () => {
      if (bundle === null) throw new Error("the CLI bundle is built in beforeAll: call bundle() inside a test");
      return bundle;
    },
    track: (repo) => {
      repos.push(repo);
      return repo;
    },
  };
}

/** Where a test stops the CLI and which signal it sends there. */
export interface StepSignal {
  /** A git call to stop in (a shell `case` pattern over its arguments); absent: stop in dbt. */
  git?: string | undefined;
  /** The stand-in git stops only for a call that writes the CLI's own index file. */
  ownIndexOnly?: boolean | undefined;
  signal: NodeJS.Signals;
  /** `group`: the whole process group, as a terminal's Ctrl-C (git is hit too). */
  to?: "process" | "group" | undefined;
}

export interface InterruptedCli {
  code: number | null;
  /** stdout and stderr as they arrived (their order across the two pipes is not fixed). */
  output: string;
  stdout: string;
  stderr: string;
}

/**
 * Runs `dbt-unskip <args> --dbt <stand-in>` in `cwd` and holds it in one step (a stand-in dbt or git
 * waits on a FIFO and announces itself); sends the signal, waits until the CLI says it was
 * interrupted (so the signal is handled before the step ends), then lets the step finish. No clock
 * is involved. `whileHeld` runs while the step is held (to look at the repository at that moment).
 */
export async function interruptAtStep(bundle: string, cwd: string, args: string[], step: StepSignal, whileHeld?: () => Promise<void>): Promise<InterruptedCli> {
  const scripts = await scriptDir();
  try {
    const { gate, ready, hold } = await makeGate(scripts, "step");
    const dbt = await fakeDbt(scripts, "dbt", step.git ? undefined : { ready, hold });
    const path = step.git ? `${await fakeGitDir(scripts, step.git, { ready, hold }, { ownIndexOnly: step.ownIndexOnly })}:${process.env.PATH}` : process.env.PATH!;
    const cli = startCli(bundle, [...args, "--dbt", dbt.command], cwd, { PATH: path, HOME: process.env.HOME ?? "" });
    let ended = false;
    void cli.exit.then(() => (ended = true));
    try {
      await Promise.race([gate.reached(), cli.exit.then(({ output }) => Promise.reject(new Error(`the CLI ended before the step:\n${output}`)))]);
      await whileHeld?.();
      process.kill(step.to === "group" ? -cli.child.pid! : cli.child.pid!, step.signal);
      await cli.said("Interrupted");
      await gate.release();
      const { code, output, stdout, stderr } = await cli.exit;
      return { code, output, stdout, stderr };
    } finally {
      gate.close();
      // A test that failed while the step was held leaves no CLI (or stand-in) waiting behind it.
      if (!ended) {
        try {
          process.kill(-cli.child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  } finally {
    await rm(scripts, { recursive: true, force: true });
  }
}

/**
 * `interruptAtStep` for a `--json` run of a command that takes the repository's lock (restore,
 * pause): the lock is held at the step (so its absence after is not vacuous) and gone after, the
 * exit is the signal's own (130/143); stdout's one JSON document and stderr's last line (the log's:
 * the two pipes' order is not fixed) are returned for the test to compare with the repository.
 */
export async function interruptJsonAtStep(bundle: string, repoDir: string, args: string[], step: StepSignal): Promise<{ json: Record<string, unknown>; last: string | undefined; output: string }> {
  const lock = join(repoDir, ".git", "dbt-unskip.lock");
  const { code, output, stdout, stderr } = await interruptAtStep(bundle, repoDir, args, step, async () => {
    expect(await pathExists(lock)).toBe(true);
  });
  expect(code, output).toBe(step.signal === "SIGINT" ? 130 : 143);
  // No lock left behind for the next run.
  expect(await pathExists(lock)).toBe(false);
  return { json: JSON.parse(stdout) as Record<string, unknown>, last: stderr.trimEnd().split("\n").at(-1), output };
}
