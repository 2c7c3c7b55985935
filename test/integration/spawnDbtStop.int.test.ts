import { readFileSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { FORK_SERVER_ATTACH_ENV_VAR, stopForkServers } from "../../src/adapters/dbt/forkServer.js";
import { INTERRUPT_KILL_MS, spawnDbt } from "../../src/adapters/dbt/spawnDbt.js";
import { makeGate } from "../helpers/fakeTools.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";

// An interrupt stops dbt with SIGTERM to its process group; a dbt that is not gone after
// INTERRUPT_KILL_MS is killed outright. A cancelled workflow run hung once for the test's whole
// 300 s (test/e2e/action.cancel.e2e.test.ts): the fork server's child missed the SIGTERM the client
// asked for (it came between the fork and the child's own signal handlers), dbt ran on, and the
// client, and so spawnDbt, waited for it. Here dbt is held where a SIGTERM cannot end it, without a
// clock: at a gate, with SIGTERM ignored (plain dbt) or inside the fork (the fork server's child,
// held by an at-fork hook before it sets its own handlers); the grace is a fake timer.

// This file starts fork servers of its own (with the hook on their PYTHONPATH), never the suite's.
const suiteShared = process.env[FORK_SERVER_ATTACH_ENV_VAR];
delete process.env[FORK_SERVER_ATTACH_ENV_VAR];

let dbt: DbtInstallation;
let work: string;
let example: Awaited<ReturnType<typeof scratchExample>>;
beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  work = await mkdtemp(join(tmpdir(), "dbt-unskip-stop-test-"));
  example = await scratchExample();
});
afterAll(async () => {
  stopForkServers();
  if (suiteShared !== undefined) process.env[FORK_SERVER_ATTACH_ENV_VAR] = suiteShared;
  await example?.cleanup();
  await rm(work, { recursive: true, force: true });
});

/** Running (a zombie counts as gone: its parent has not reaped it yet, but it runs nothing). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[0] !== "Z";
  } catch {
    return false;
  }
}

describe("an interrupt ends dbt even when dbt does not end on SIGTERM", () => {
  it("plain dbt that ignores SIGTERM: SIGKILL after the grace, and spawnDbt returns", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(work, "plain-"));
    const { gate, ready, hold } = await makeGate(dir, "dbt");
    onTestFinished(() => gate.close());
    const pidFile = join(dir, "pid");
    const command = join(dir, "dbt");
    await writeFile(command, `#!/bin/sh\ntrap '' TERM\nexec 3<>'${hold}'\necho $$ > '${pidFile}'\necho here > '${ready}'\nread line <&3\n`);
    await chmod(command, 0o755);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTestFinished(() => void vi.useRealTimers());
    const controller = new AbortController();
    const run = spawnDbt({ command, args: ["parse"], projectDir: example.dbtDir, timeoutMs: 300_000, forkServer: false, signal: controller.signal });
    await gate.reached();
    const pid = Number(await readFile(pidFile, "utf8"));
    controller.abort("SIGINT");
    vi.advanceTimersByTime(INTERRUPT_KILL_MS);
    const result = await run;
    await gate.release();
    expect(result.killedBy).toBe("SIGKILL");
    expect(result.timedOut).toBe(false);
    expect(running(pid)).toBe(false);
  });

  it("the fork server's child held between the fork and its own signal handlers: SIGKILL after the grace ends it, and spawnDbt returns", { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(work, "forked-"));
    const { gate, ready, hold } = await makeGate(dir, "fork");
    onTestFinished(() => gate.close());
    const armed = join(dir, "armed");
    const pidFile = join(dir, "pid");
    // The server imports this at start-up (its PYTHONPATH); the hook runs in every child the server
    // forks, before the child's first line of its own. Armed once, it holds the first child after it.
    await writeFile(
      join(dir, "sitecustomize.py"),
      [
        "import os",
        "def _hold():",
        `    if not os.path.exists(${JSON.stringify(armed)}):`,
        "        return",
        `    os.unlink(${JSON.stringify(armed)})`,
        `    fd = os.open(${JSON.stringify(hold)}, os.O_RDWR)`,
        `    with open(${JSON.stringify(pidFile)}, "w") as f:`,
        "        f.write(str(os.getpid()))",
        `    with open(${JSON.stringify(ready)}, "w") as f:`,
        '        f.write("here\\n")',
        "    os.read(fd, 1)",
        "os.register_at_fork(after_in_child=_hold)",
        "",
      ].join("\n"),
    );
    const options = { command: dbt.command, projectDir: example.dbtDir, profilesDir: example.dbtDir, timeoutMs: 300_000, setEnv: { PYTHONPATH: dir } };
    // The server starts (and its imports run) on this first call, which the hook lets through.
    const first = await spawnDbt({ ...options, args: ["debug", "--config-dir"] });
    expect(first.exitCode, first.otherOutput).toBe(0);
    await writeFile(armed, "");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTestFinished(() => void vi.useRealTimers());
    const controller = new AbortController();
    const run = spawnDbt({ ...options, args: ["parse", "--target-path", join(dir, "target")], signal: controller.signal });
    await gate.reached();
    const pid = Number(await readFile(pidFile, "utf8"));
    controller.abort("SIGINT");
    vi.advanceTimersByTime(INTERRUPT_KILL_MS);
    const result = await run;
    await gate.release();
    expect(result.killedBy).toBe("SIGKILL");
    expect(result.events).toEqual([]);
    expect(running(pid)).toBe(false);
  });
});
