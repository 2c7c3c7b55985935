import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Runs one command as a whole process and measures it from the outside: wall time, CPU time
// (user + system, including any children it waited for) and peak resident memory.
//
// How CPU and memory are read, best first:
//  - "gnu-time": `/usr/bin/time -f '%U %S %M'` reads the rusage the kernel returns from wait4() for
//    the command; wall time is taken here with a monotonic clock around the spawn (the extra fork of
//    /usr/bin/time costs about a millisecond).
//  - "python-getrusage": a three-line Python wrapper runs the command and reads
//    getrusage(RUSAGE_CHILDREN) after it ends: the same kernel figures, and the wrapper times the
//    command itself so that Python's own start-up is not counted.
//  - "none": wall time only; CPU and memory are reported as not measured.

export type RusageMethod = "gnu-time" | "python-getrusage" | "none";

export interface Measurement {
  wallMs: number;
  /** user + sys; null when the method cannot measure it. */
  cpuMs: number | null;
  userMs: number | null;
  sysMs: number | null;
  /** Peak resident set size of the largest process waited for, in KiB. */
  maxRssKb: number | null;
  exitCode: number | null;
  timedOut: boolean;
  /** The last few KiB of standard error, for messages when a run fails. */
  stderrTail: string;
}

const PYTHON_WRAPPER = `import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[2:]).returncode
wall = time.perf_counter() - start
u = resource.getrusage(resource.RUSAGE_CHILDREN)
json.dump({"wall": wall, "user": u.ru_utime, "sys": u.ru_stime, "maxrss": u.ru_maxrss, "code": code}, open(sys.argv[1], "w"))
sys.exit(code if code >= 0 else 128 - code)
`;

/** Process groups of the commands being measured right now, so that an interrupt can end them. */
const running = new Set<number>();

/** Ends every command still being measured (and what it started): for an interrupted benchmark. */
export function killRunningCommands(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}

export function detectRusageMethod(forced?: string): RusageMethod {
  if (forced === "gnu-time" || forced === "python-getrusage" || forced === "none") return forced;
  if (existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%M", "true"], { stdio: "ignore" }).status === 0) return "gnu-time";
  if (spawnSync("python3", ["-c", "import resource"], { stdio: "ignore" }).status === 0) return "python-getrusage";
  return "none";
}

/** Whether this process may run commands at the given niceness (a negative one needs privileges). */
export function canNice(nice: number): boolean {
  const result = spawnSync("nice", ["-n", String(nice), "true"], { encoding: "utf8" });
  return result.status === 0 && result.stderr.trim() === "";
}

export function describeRusageMethod(method: RusageMethod): string {
  switch (method) {
    case "gnu-time":
      return "GNU time (`/usr/bin/time -f '%U %S %M'`): user and system CPU and peak RSS from the kernel's rusage of the process (wait4), children included; wall time from a monotonic clock around the spawn";
    case "python-getrusage":
      return "a Python wrapper that runs the command and reads `getrusage(RUSAGE_CHILDREN)`: user and system CPU and peak RSS from the kernel, children included; wall time measured by the wrapper around the command alone";
    case "none":
      return "wall time only (neither /usr/bin/time nor python3 was found): CPU and memory not measured";
  }
}

export async function measureCommand(input: {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Where the command's standard output goes (discarded when omitted). */
  stdoutFile?: string;
  timeoutMs?: number;
  method: RusageMethod;
  /** A folder for the measurement's own scratch files. */
  scratch: string;
  /** Run the command at this niceness (`nice -n`, and its autogroup's), e.g. -10 so that other jobs cannot take its core. */
  nice?: number;
}): Promise<Measurement> {
  const usageFile = join(input.scratch, `rusage-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  let command = input.command;
  let args = input.args;
  if (input.method === "gnu-time") {
    args = ["-f", "%U %S %M", "-o", usageFile, command, ...args];
    command = "/usr/bin/time";
  } else if (input.method === "python-getrusage") {
    const wrapper = join(input.scratch, "rusage-wrapper.py");
    if (!existsSync(wrapper)) writeFileSync(wrapper, PYTHON_WRAPPER);
    args = [wrapper, usageFile, command, ...args];
    command = "python3";
  }
  if (input.nice !== undefined && input.nice !== 0) {
    args = ["-n", String(input.nice), command, ...args];
    command = "nice";
  }

  const stdoutFd = input.stdoutFile ? openSync(input.stdoutFile, "w") : null;
  const started = process.hrtime.bigint();
  const child = spawn(command, args, {
    cwd: input.cwd,
    env: input.env ?? process.env,
    stdio: ["ignore", stdoutFd ?? "ignore", "pipe"],
    detached: true, // its own process group, so that a timeout ends the whole tree it started
  });
  if (child.pid !== undefined) running.add(child.pid);
  // With Linux's autogroup scheduling, niceness only counts within a session, and the command has a
  // session of its own (detached): give that session the niceness too, or it would not matter.
  if (input.nice !== undefined && input.nice !== 0 && child.pid !== undefined) {
    try {
      writeFileSync(`/proc/${child.pid}/autogroup`, String(input.nice));
    } catch {
      // no autogroup scheduling here: `nice -n` alone does the job
    }
  }
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  let timedOut = false;
  const timer =
    input.timeoutMs === undefined
      ? null
      : setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            // already gone
          }
        }, input.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.pid !== undefined) running.delete(child.pid);
  if (timer) clearTimeout(timer);
  if (stdoutFd !== null) closeSync(stdoutFd);

  const result: Measurement = { wallMs, cpuMs: null, userMs: null, sysMs: null, maxRssKb: null, exitCode, timedOut, stderrTail: stderr };
  if (!timedOut && existsSync(usageFile)) {
    const text = readFileSync(usageFile, "utf8").trim();
    if (input.method === "gnu-time") {
      // A failing command adds a "Command exited with non-zero status" line before ours.
      const last = text.split("\n").pop() ?? "";
      const [user, sys, rss] = last.split(" ").map(Number);
      if (user !== undefined && sys !== undefined && rss !== undefined && [user, sys, rss].every(Number.isFinite)) {
        Object.assign(result, { userMs: user * 1000, sysMs: sys * 1000, cpuMs: (user + sys) * 1000, maxRssKb: rss });
      }
    } else {
      const data = JSON.parse(text) as { wall: number; user: number; sys: number; maxrss: number; code: number };
      Object.assign(result, {
        wallMs: data.wall * 1000,
        userMs: data.user * 1000,
        sysMs: data.sys * 1000,
        cpuMs: (data.user + data.sys) * 1000,
        maxRssKb: data.maxrss,
      });
    }
  }
  rmSync(usageFile, { force: true });
  return result;
}
