import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs a script the tool generated (rollback.sh) with /bin/sh, as a person would, so the command and
 * the file in the PR are the same code. Output is collected for the report. It runs in its own
 * process group, so a terminal's Ctrl-C (sent to ours) cannot stop it half way through its renames.
 */
export function runShellScript(input: { script: string; args: string[]; cwd: string; signal?: AbortSignal | undefined }): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", [input.script, ...input.args], { cwd: input.cwd, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"], signal: input.signal, detached: true });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", (error) => resolve({ exitCode: null, output: `${output}${error.message}\n` }));
    child.on("close", (code) => resolve({ exitCode: code, output }));
  });
}

/**
 * `work` gets the path of an executable script holding `text` (named `name`), in a private
 * temporary folder that is removed afterwards, whatever happened.
 */
export async function withTemporaryScript<T>(name: string, text: string, work: (script: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), `dbt-unskip-${name.replace(/\..*$/, "")}-`));
  try {
    const script = join(folder, name);
    await writeFile(script, text);
    await chmod(script, 0o755);
    return await work(script);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
