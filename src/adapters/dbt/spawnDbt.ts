import { spawn } from "node:child_process";
import { dbtEnvironment } from "./dbtEnvironment.js";
import { parseDbtEvent, type DbtEvent } from "../../core/dbt/dbtEvent.js";
import { FORK_FALLBACK_EXIT, forkedCall } from "./forkServer.js";
import type { DbtRunResult } from "../../usecases/dbtRun.js";

export interface DbtRunOptions {
  /** The dbt executable (from findDbt). */
  command: string;
  /** dbt subcommand and its own arguments, e.g. `["parse", "--no-partial-parse"]`. */
  args: string[];
  projectDir: string;
  profilesDir?: string | undefined;
  target?: string | undefined;
  /** Kill dbt (and its children) after this long. */
  timeoutMs: number;
  /** Environment variable names passed through on top of the allow-list (warehouse credentials). */
  extraEnv?: readonly string[] | undefined;
  /** Variables set for this run (e.g. the DuckDB path). */
  setEnv?: Record<string, string>;
  /** Called for each event as it arrives, for live progress. */
  onEvent?: (event: DbtEvent) => void;
  signal?: AbortSignal | undefined;
  /**
   * Run dbt through the fork server when the command is a plain pip console script of dbt (the
   * default; `false` from `UNSKIP_DBT_FORK_SERVER=0`): the same dbt, the same answer, without its
   * ~1.7 s of imports on every call.
   */
  forkServer?: boolean | undefined;
}

/** After a timeout's SIGTERM, how long dbt's process group has before SIGKILL. */
const TIMEOUT_KILL_MS = 5000;
/**
 * After an interrupt's SIGTERM, how long dbt's process group has before SIGKILL. A cancelled
 * workflow run is SIGINT, then SIGTERM 7.5 s later, then the process tree killed 2.5 s after that:
 * the stop, the undo of the checkout and the cancelled report must fit in those 10 s. A forked dbt
 * that missed its SIGTERM (it came between the fork and the child's own signal handlers) ran on
 * with the client waiting for it, and the run ended only when killed.
 */
export const INTERRUPT_KILL_MS = 3000;

/** Defined beside the ports that take it (usecases/dbtRun.ts). */
export type { DbtRunResult };

/**
 * The one place dbt is started. Always JSON logs without colours (errors are read as data, not
 * scraped), cwd = the project folder, an allow-listed environment, and a hard timeout that kills
 * the whole process group so no dbt child outlives us holding a DuckDB lock.
 *
 * A standard pip-installed dbt runs through the fork server (forkServer.ts): a tiny client stands in
 * for dbt in the same process group, with the same pipes, and a child forked from a server that has
 * dbt imported runs the console script. The client ends as that dbt ends (exit code or signal), and a
 * SIGTERM to it (timeout, interrupt) ends that dbt's process group before the client exits. When the
 * server cannot run the call, nothing has run and dbt starts the plain way.
 */
export async function spawnDbt(options: DbtRunOptions): Promise<DbtRunResult> {
  const args = [...options.args, "--project-dir", options.projectDir, "--log-format", "json", "--no-use-colors"];
  if (options.profilesDir) args.push("--profiles-dir", options.profilesDir);
  if (options.target) args.push("--target", options.target);
  const env = { ...dbtEnvironment(process.env, options.extraEnv), ...(options.setEnv ?? {}) };
  const invocation = [options.command, ...args];
  const deadline = Date.now() + options.timeoutMs;
  if (options.forkServer !== false) {
    const forked = await forkedCall(options.command, env, options.signal);
    if (forked) {
      const result = await runProcess(forked.file, forked.args(args), options, env, options.timeoutMs, true);
      if (result.fallback === null) return { ...result.run, invocation };
      forked.fellBack(result.fallback);
    }
  }
  const run = await runProcess(options.command, args, options, env, Math.max(1, deadline - Date.now()), false);
  return { ...run.run, invocation };
}

function runProcess(
  file: string,
  args: string[],
  options: DbtRunOptions,
  env: Record<string, string>,
  timeoutMs: number,
  forked: boolean,
): Promise<{ run: Omit<DbtRunResult, "invocation">; fallback: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.projectDir, env, stdio: forked ? ["ignore", "pipe", "pipe", "pipe"] : ["ignore", "pipe", "pipe"], detached: true });
    const events: DbtEvent[] = [];
    let other = "";
    let control = "";
    let timedOut = false;
    let settled = false;
    const keep = (text: string) => {
      other = (other + text).slice(-65536);
    };
    const lines = (onLine: (line: string) => void) => {
      let buffer = "";
      return (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n")) {
          onLine(buffer.slice(0, newline).replace(/\r$/, ""));
          buffer = buffer.slice(newline + 1);
        }
      };
    };
    child.stdout?.on(
      "data",
      lines((line) => {
        const event = parseDbtEvent(line);
        if (event) {
          events.push(event);
          options.onEvent?.(event);
        } else if (line.trim()) keep(`${line}\n`);
      }),
    );
    child.stderr?.on(
      "data",
      lines((line) => keep(`${line}\n`)),
    );
    // A forked dbt's process group (the client says "started PID" on fd 3): not the client's.
    let dbtGroup = 0;
    (child.stdio[3] as NodeJS.ReadableStream | undefined)?.on("data", (chunk: Buffer) => {
      control = (control + chunk.toString("utf8")).slice(-4096);
      const started = /^started (\d+)$/m.exec(control);
      if (started) dbtGroup = Number(started[1]);
    });
    const killGroup = (group: number | undefined, signal: NodeJS.Signals) => {
      if (!group) return;
      try {
        process.kill(-group, signal);
      } catch {
        // Not a group (yet): a forked dbt before its setsid, which has started nothing of its own.
        try {
          process.kill(group, signal);
        } catch {
          /* already gone */
        }
      }
    };
    // SIGTERM first (dbt, or the fork client, ends its process group before it exits); a group
    // still there after the grace is killed outright, so no stop ever waits on dbt's good will. A
    // forked dbt is killed itself, not its client: the server reaps it and answers, and the client
    // ends only then, so this call still returns with no dbt left. Its client is killed too should
    // it not end within another grace.
    let killTimer: NodeJS.Timeout | undefined;
    const stopGroup = (graceMs: number) => {
      killGroup(child.pid, "SIGTERM");
      killTimer ??= setTimeout(() => {
        if (dbtGroup === 0) return killGroup(child.pid, "SIGKILL");
        killGroup(dbtGroup, "SIGKILL");
        killTimer = setTimeout(() => killGroup(child.pid, "SIGKILL"), graceMs);
      }, graceMs);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup(TIMEOUT_KILL_MS);
    }, timeoutMs);
    const onAbort = () => stopGroup(INTERRUPT_KILL_MS);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    // An interrupt that came before dbt started fires no further "abort" event: stop it now, or dbt
    // would run to its end after the user pressed Ctrl-C.
    if (options.signal?.aborted) onAbort();
    const finish = (exitCode: number | null, killedBy: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      // The client says "fallback" (on fd 3, exit 75) only when nothing ran: no dbt, no output.
      const fellBack = forked && exitCode === FORK_FALLBACK_EXIT && !timedOut && /^fallback /.test(control) ? control.slice("fallback ".length).trim() : null;
      resolve({ run: { exitCode, killedBy, timedOut, events, otherOutput: other }, fallback: fellBack });
    };
    child.on("error", (error) => {
      keep(`${error.message}\n`);
      finish(null, null);
    });
    child.on("close", (code, signal) => finish(code, signal));
  });
}
