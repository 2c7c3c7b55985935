import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { REPO_ROOT } from "./scratchExample.js";

/** The CLI bundled from the sources as they are now (not dist/), for tests that need a real process. */
export async function buildCliFromSource(): Promise<string> {
  const outfile = join(await mkdtemp(join(tmpdir(), "dbt-unskip-cli-")), "cli.mjs");
  await build({
    entryPoints: [join(REPO_ROOT, "src/cli/main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    banner: { js: "import { createRequire as __r } from 'node:module';\nconst require = __r(import.meta.url);\n" },
  });
  // Beside the bundle, as scripts/build.mjs puts it in dist/ (a real dbt runs through the fork server).
  await copyFile(join(REPO_ROOT, "src/adapters/dbt/dbtForkServer.py"), join(dirname(outfile), "dbtForkServer.py"));
  return outfile;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves once stdout and stderr together contain `text`. */
  said(text: string): Promise<void>;
  /** `output`: stdout and stderr as they arrived (their order across the two pipes is not fixed); each apart too. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; stdout: string; stderr: string }>;
}

/** Starts the CLI in its own process group (so a test can Ctrl-C the whole group, as a terminal does). */
export function startCli(bundle: string, args: string[], cwd: string, env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [bundle, ...args], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const w of waiters.splice(0)) {
      if (output.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  };
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    onData(chunk);
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    onData(chunk);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; stdout: string; stderr: string }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, output, stdout, stderr }));
  });
  return {
    child,
    exit,
    said: (text) =>
      new Promise<void>((resolve, reject) => {
        if (output.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void exit.then(() => (output.includes(text) ? resolve() : reject(new Error(`the CLI ended without saying ${JSON.stringify(text)}:\n${output}`))));
      }),
  };
}
