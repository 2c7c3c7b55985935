import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, open, writeFile } from "node:fs/promises";
import { constants, openSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DbtInstallation } from "../../src/adapters/dbt/findDbt.js";

/**
 * Stand-ins for dbt and git that let a test stop a restore at one exact step without waiting on a
 * clock: the tool, on reaching the step, opens a FIFO for reading (so a release can always be
 * written), announces itself on a second FIFO (the test's read of it returns), then blocks until the
 * test writes the release line. dbt runs with an allow-listed environment, so every setting is
 * baked into the script rather than passed in variables.
 */
export interface Gate {
  /** Resolves when the stopped tool has announced itself. */
  reached(): Promise<void>;
  /** Lets the stopped tool go on (a no-op when it is gone, e.g. killed by the signal). */
  release(): Promise<void>;
  close(): void;
}

export async function makeGate(dir: string, name: string): Promise<{ gate: Gate; ready: string; hold: string }> {
  const ready = join(dir, `${name}.ready`);
  const hold = join(dir, `${name}.hold`);
  execFileSync("mkfifo", [ready, hold]);
  // The test holds the announcing FIFO open for reading and writing from the start: the tool's
  // write never waits for a reader, and the read is an event on the loop, never a blocked thread.
  const announcements = new Socket({ fd: openSync(ready, constants.O_RDWR | constants.O_NONBLOCK), readable: true, writable: false });
  const announced = new Promise<void>((resolve) => announcements.once("data", () => resolve()));
  return {
    ready,
    hold,
    gate: {
      reached: () => announced,
      release: async () => {
        // Non-blocking: ENXIO means nobody holds the FIFO any more (the tool was killed).
        const handle = await open(hold, constants.O_WRONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
          if (e.code === "ENXIO") return null;
          throw e;
        });
        if (handle) {
          // EPIPE: the tool died between the open and the write (a signal to its whole process
          // group reaches it too); there is nobody left to release.
          await handle.write("go\n").catch((e: NodeJS.ErrnoException) => {
            if (e.code !== "EPIPE") throw e;
          });
          await handle.close();
        }
      },
      close: () => {
        announcements.destroy();
      },
    },
  };
}

/** Shell lines that stop at a gate (see `Gate`). */
function waitAt(ready: string, hold: string): string {
  return `exec 3<>'${hold}'\necho here > '${ready}'\nread line <&3\n`;
}

export async function scriptDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "dbt-unskip-fake-"));
}

/**
 * A dbt that accepts every project at once (exit 0, no output): the restore's git side is what is
 * under test. With `stopAt`, its first `parse` stops at that gate.
 */
export async function fakeDbt(dir: string, name: string, stopAt?: { ready: string; hold: string }): Promise<DbtInstallation> {
  const path = join(dir, name);
  const once = join(dir, `${name}.stopped`);
  const stop = stopAt ? `case "$*" in parse*) if [ ! -e '${once}' ]; then : > '${once}'\n${waitAt(stopAt.ready, stopAt.hold)}fi;; esac\n` : "";
  await writeFile(path, `#!/bin/sh\nif [ "$1" = "--version" ]; then printf 'Core:\\n  - installed: 1.11.16\\n'; exit 0; fi\n${stop}exit 0\n`);
  await chmod(path, 0o755);
  return { command: path, version: "1.11.16" };
}

/**
 * A folder holding a `git` that runs the real one, except that its first call whose arguments match
 * the shell `case` pattern (and, when given, whose `GIT_INDEX_FILE` is unset: the person's own index)
 * stops at the gate first. Put it first on PATH.
 */
export async function fakeGitDir(dir: string, pattern: string, gate: { ready: string; hold: string }, options: { ownIndexOnly?: boolean | undefined } = {}): Promise<string> {
  const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  const bin = join(dir, "bin");
  await mkdir(bin, { recursive: true });
  const once = join(dir, "git.stopped");
  // Spaces in a `case` pattern are written escaped; `*` stays a wildcard.
  const casePattern = pattern.replace(/ /g, "\\ ");
  const condition = options.ownIndexOnly ? ` && [ -z "$GIT_INDEX_FILE" ]` : "";
  await writeFile(
    join(bin, "git"),
    `#!/bin/sh\ncase "$*" in\n  ${casePattern})\n    if [ ! -e '${once}' ]${condition}; then\n      : > '${once}'\n${waitAt(gate.ready, gate.hold)}    fi;;\nesac\nexec '${realGit}' "$@"\n`,
  );
  await chmod(join(bin, "git"), 0o755);
  return bin;
}

/**
 * The real dbt behind a Python wrapper (the real one's own interpreter) that, on its first `parse`,
 * announces itself on the gate's `ready` FIFO once dbt is imported, and goes straight on into dbt:
 * a test then knows the CLI is running dbt, without a clock. The wrapper is not a plain console
 * script, so the CLI starts it the plain way, not through the fork server.
 */
export async function announcingRealDbt(dir: string, realDbt: string, ready: string): Promise<string> {
  const interpreter = execFileSync("head", ["-n", "1", realDbt], { encoding: "utf8" }).trim();
  const path = join(dir, "dbt");
  const once = join(dir, "dbt.announced");
  await writeFile(
    path,
    `${interpreter}\nimport os, sys\nfrom dbt.cli.main import cli\nif sys.argv[1:2] == ["parse"] and not os.path.exists(${JSON.stringify(once)}):\n    open(${JSON.stringify(once)}, "w").close()\n    with open(${JSON.stringify(ready)}, "w") as f:\n        f.write("here\\n")\nsys.exit(cli())\n`,
  );
  await chmod(path, 0o755);
  return path;
}
