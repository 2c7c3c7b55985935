import { type ChildProcess, spawn } from "node:child_process";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import { debuglog } from "node:util";
import { pythonOfScript } from "./findDbt.js";

/** `NODE_DEBUG=dbt-unskip` prints why a dbt call did not go through the fork server. */
export const forkServerDebug = debuglog("dbt-unskip");

/**
 * The server and client script, beside this module in src/ and beside the bundle in dist/
 * (scripts/build.mjs copies it; the Action runs dist/index.js from its own folder).
 */
export const FORK_SERVER_SCRIPT = fileURLToPath(new URL("./dbtForkServer.py", import.meta.url));

/** The client's exit code when nothing ran and dbt must be started the plain way (it says why on fd 3). */
export const FORK_FALLBACK_EXIT = 75;

/** How long a first call waits for the server's imports before it runs dbt the plain way. */
const READY_MS = 120_000;
/** Servers per process (one per dbt command and interpreter settings); beyond that, plain dbt. */
const MAX_SERVERS = 4;

/**
 * The lines a pip (or uv) console script for `dbt.cli.main:cli` consists of, after its `#!python`
 * line. Anything else in the file (a wrapper that sets variables, activates something, runs another
 * entry point) means the script is not plain dbt, and dbt runs the plain way.
 */
const CONSOLE_SCRIPT_LINES = [
  /^# -\*- coding: utf-8 -\*-$/,
  /^import (re|sys)$/,
  /^from dbt\.cli\.main import cli$/,
  /^if __name__ == (['"])__main__\1:$/,
  /^\s+sys\.argv\[0\] = re\.sub\(r'\(-script\\\.pyw\|\\\.exe\)\?\$', '', sys\.argv\[0\]\)$/,
  /^\s+(el)?if sys\.argv\[0\]\.endswith\("(-script\.pyw|\.exe)"\):$/,
  /^\s+sys\.argv\[0\] = sys\.argv\[0\]\[:-(11|4)\]$/,
  /^\s+sys\.exit\(cli\(\)\)$/,
  /^\s*$/,
];

/** The interpreter of `command` when it is a standard console script for dbt's cli, else null. */
export async function consoleScriptPython(command: string): Promise<string | null> {
  if (!isAbsolute(command)) return null;
  const python = await pythonOfScript(command);
  if (!python) return null;
  let text: string;
  try {
    const file = await open(command, "r");
    try {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      if (bytesRead === buffer.length) return null;
      text = buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await file.close();
    }
  } catch {
    return null;
  }
  const body = text.split("\n").slice(1);
  const plain = body.every((line) => CONSOLE_SCRIPT_LINES.some((pattern) => pattern.test(line.replace(/\r$/, ""))));
  return plain && body.includes("from dbt.cli.main import cli") && body.some((line) => /^\s+sys\.exit\(cli\(\)\)$/.test(line)) ? python : null;
}

/**
 * What the interpreter itself reads at start-up (stdio encoding, locale, user site-packages under
 * HOME, PYTHONPATH and the other PYTHON* settings): a server started with these serves calls that
 * agree on them. The server checks the rest of what its imports read, call by call.
 */
export function interpreterEnvironment(env: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of Object.keys(env).sort()) {
    if (name === "LANG" || name === "LANGUAGE" || name === "HOME" || name.startsWith("PYTHON") || name.startsWith("LC_")) kept[name] = env[name] as string;
  }
  return kept;
}

/**
 * Fork servers another process started and shares with this one, as JSON:
 * `[{ "command": DBT_SCRIPT, "env": INTERPRETER_ENVIRONMENT, "socket": PATH }]` (shareForkServer).
 * A call whose dbt command and interpreter settings (interpreterEnvironment) are exactly an entry's
 * goes to that server through the same client as any other call, instead of starting a server of
 * its own; the server still checks each call's environment, and a server that cannot be reached
 * means plain dbt, as for a server of this process that died. The test suite's global setup starts
 * them once for every test file and every process a test starts (test/helpers/forkServerSetup.ts).
 */
export const FORK_SERVER_ATTACH_ENV_VAR = "UNSKIP_DBT_FORK_SERVER_ATTACH";

/** One entry of `UNSKIP_DBT_FORK_SERVER_ATTACH`. */
export interface SharedForkServer {
  command: string;
  env: Record<string, string>;
  socket: string;
}

/** The shared server for this command and interpreter settings, from `UNSKIP_DBT_FORK_SERVER_ATTACH`; a value that is not a list of entries is ignored. */
function sharedSocket(command: string, startEnv: Record<string, string>): string | null {
  const text = process.env[FORK_SERVER_ATTACH_ENV_VAR];
  if (!text) return null;
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    forkServerDebug("dbt fork server: %s is not JSON; starting a server of this process", FORK_SERVER_ATTACH_ENV_VAR);
    return null;
  }
  if (!Array.isArray(entries)) return null;
  const wanted = JSON.stringify(startEnv);
  for (const entry of entries as Partial<SharedForkServer>[]) {
    if (entry?.command !== command || typeof entry.socket !== "string" || !isAbsolute(entry.socket) || !entry.env || typeof entry.env !== "object") continue;
    const sorted = Object.fromEntries(Object.entries(entry.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (JSON.stringify(sorted) === wanted) return entry.socket;
  }
  return null;
}

interface Server {
  python: string;
  /** null for a server another process shares with this one (not ours to end). */
  process: ChildProcess | null;
  /** The socket path once the server listens; null when it could not start. */
  ready: Promise<string | null>;
  dead: boolean;
  stderr: string;
}

const servers = new Map<string, Server>();
const eligible = new Map<string, Promise<string | null>>();

/** A way to run one dbt call through the fork server. */
export interface ForkedCall {
  file: string;
  args: (dbtArgs: string[]) => string[];
  /** The client said "fallback" for this reason: forget a server that cannot be reached. */
  fellBack: (reason: string) => void;
}

/**
 * The fork server for `command` under `env`, started on first use, or null (not a plain console
 * script, the server could not start or died, an interrupt came while it started): run dbt the plain way.
 */
export async function forkedCall(command: string, env: Record<string, string>, signal?: AbortSignal): Promise<ForkedCall | null> {
  let python = eligible.get(command);
  if (!python) {
    python = consoleScriptPython(command);
    eligible.set(command, python);
  }
  const interpreter = await python;
  if (!interpreter) return null;
  const startEnv = interpreterEnvironment(env);
  const key = JSON.stringify([command, startEnv]);
  let server = servers.get(key);
  if (!server) {
    const shared = sharedSocket(command, startEnv);
    if (shared) {
      server = { python: interpreter, process: null, ready: Promise.resolve(shared), dead: false, stderr: "" };
      servers.set(key, server);
    }
  }
  if (!server) {
    const running = [...servers.values()].filter((s) => !s.dead).length;
    if (running >= MAX_SERVERS) {
      forkServerDebug("dbt fork server: %d already running, this call runs dbt the plain way", running);
      return null;
    }
    server = startServer(interpreter, command, startEnv);
    servers.set(key, server);
  }
  const socket = await readyOrAbort(server.ready, signal);
  if (!socket || server.dead) return null;
  const live = server;
  return {
    file: live.python,
    args: (dbtArgs) => ["-I", "-S", FORK_SERVER_SCRIPT, "run", socket, ...dbtArgs],
    fellBack: (reason) => {
      forkServerDebug("dbt fork server: %s; running dbt the plain way", reason);
      if (/^(cannot reach|the server closed)/.test(reason)) stop(live, "unreachable");
    },
  };
}

function readyOrAbort(ready: Promise<string | null>, signal: AbortSignal | undefined): Promise<string | null> {
  if (!signal) return ready;
  if (signal.aborted) return Promise.resolve(null);
  return new Promise((resolve) => {
    const onAbort = () => resolve(null);
    signal.addEventListener("abort", onAbort, { once: true });
    ready.then((socket) => {
      signal.removeEventListener("abort", onAbort);
      resolve(socket);
    });
  });
}

function startServer(python: string, command: string, env: Record<string, string>): Server {
  // Its own process group (a Ctrl-C on the terminal is ours to handle), its stdin our lifeline: it
  // ends when this process does, even when this process is killed outright.
  const child = spawn(python, [FORK_SERVER_SCRIPT, "serve", command], { cwd: tmpdir(), env, stdio: ["pipe", "pipe", "pipe"], detached: true });
  const server: Server = { python, process: child, ready: Promise.resolve(null), dead: false, stderr: "" };
  server.ready = new Promise((resolve) => {
    let stdout = "";
    // Not unref'd: while a call waits for the server's imports, this timer is what keeps this
    // process alive (the server's pipes are unref'd), or Node would end mid-command with exit 0.
    const timer = setTimeout(() => {
      stop(server, `not ready after ${READY_MS / 1000} s`);
      resolve(null);
    }, READY_MS);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const ready = /^ready (.+)\n/.exec(stdout);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      server.stderr = (server.stderr + chunk.toString("utf8")).slice(-4096);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      stop(server, error.message);
      resolve(null);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!server.dead) stop(server, `ended (${signal ?? `exit ${code}`})`);
      resolve(null);
    });
  });
  // Never keeps this process alive: it only serves calls that are running.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  return server;
}

/** Forgets a server for good (calls run dbt the plain way from then on) and ends it. */
function stop(server: Server, why: string): void {
  if (server.dead) return;
  server.dead = true;
  const child = server.process;
  forkServerDebug("dbt fork server %s: %s%s", child ? (child.pid ?? "-") : "(shared)", why, server.stderr ? `\n${server.stderr.trim()}` : "");
  if (!child) return;
  child.stdin?.destroy();
  try {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
}

/** Ends every fork server this process started (tests; the servers also end when this process does). */
export function stopForkServers(): void {
  for (const server of servers.values()) stop(server, "stopped");
  servers.clear();
  eligible.clear();
}

/** The running servers' process ids (tests; servers shared by another process are not this process's). */
export function forkServerPids(): number[] {
  return [...servers.values()].flatMap((s) => (!s.dead && s.process?.pid ? [s.process.pid] : []));
}

/**
 * Starts a fork server for `command` under `env` (dbt's environment, as spawnDbt gives it) for
 * other processes to share: its `UNSKIP_DBT_FORK_SERVER_ATTACH` entry, and `stop`, which ends it
 * and waits until it is gone. null when the command is not a plain console script or the server did
 * not start. The server ends when this process does.
 */
export async function shareForkServer(command: string, env: Record<string, string>): Promise<{ entry: SharedForkServer; pid: number; stop: () => Promise<void> } | null> {
  const interpreter = await consoleScriptPython(command);
  if (!interpreter) return null;
  const startEnv = interpreterEnvironment(env);
  const server = startServer(interpreter, command, startEnv);
  const socket = await server.ready;
  const child = server.process;
  if (!socket || server.dead || !child?.pid) {
    stop(server, "not shared");
    return null;
  }
  const gone = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    entry: { command, env: startEnv, socket },
    pid: child.pid,
    stop: async () => {
      stop(server, "stopped");
      // Waiting is what keeps this process alive meanwhile (the server's handles are unref'd).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
      clearTimeout(timer);
    },
  };
}
