import { spawn } from "node:child_process";
import { dbtEnvironment } from "./dbtEnvironment.js";
import { parseDbtEvent, type DbtEvent } from "./dbtEvent.js";

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
}

export interface DbtRunResult {
  exitCode: number | null;
  /** The signal that ended dbt, when it was killed. */
  killedBy: NodeJS.Signals | null;
  timedOut: boolean;
  events: DbtEvent[];
  /** Output that was not a JSON event (a traceback when dbt crashes), last 64 KB. */
  otherOutput: string;
  invocation: string[];
}

/**
 * The one place dbt is started. Always JSON logs without colours (errors are read as data, not
 * scraped), cwd = the project folder, an allow-listed environment, and a hard timeout that kills
 * the whole process group so no dbt child outlives us holding a DuckDB lock.
 */
export function spawnDbt(options: DbtRunOptions): Promise<DbtRunResult> {
  const args = [...options.args, "--project-dir", options.projectDir, "--log-format", "json", "--no-use-colors"];
  if (options.profilesDir) args.push("--profiles-dir", options.profilesDir);
  if (options.target) args.push("--target", options.target);
  const env = { ...dbtEnvironment(process.env, options.extraEnv), ...(options.setEnv ?? {}) };
  return new Promise((resolve) => {
    const child = spawn(options.command, args, { cwd: options.projectDir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const events: DbtEvent[] = [];
    let other = "";
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
    child.stdout.on(
      "data",
      lines((line) => {
        const event = parseDbtEvent(line);
        if (event) {
          events.push(event);
          options.onEvent?.(event);
        } else if (line.trim()) keep(`${line}\n`);
      }),
    );
    child.stderr.on(
      "data",
      lines((line) => keep(`${line}\n`)),
    );
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup("SIGTERM");
      setTimeout(() => killGroup("SIGKILL"), 5000).unref();
    }, options.timeoutMs);
    const onAbort = () => killGroup("SIGTERM");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    // An interrupt that came before dbt started fires no further "abort" event: stop it now, or dbt
    // would run to its end after the user pressed Ctrl-C.
    if (options.signal?.aborted) onAbort();
    const finish = (exitCode: number | null, killedBy: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve({ exitCode, killedBy, timedOut, events, otherOutput: other, invocation: [options.command, ...args] });
    };
    child.on("error", (error) => {
      keep(`${error.message}\n`);
      finish(null, null);
    });
    child.on("close", (code, signal) => finish(code, signal));
  });
}
