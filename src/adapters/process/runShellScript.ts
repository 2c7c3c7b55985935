import { spawn } from "node:child_process";

/**
 * Runs a script the tool generated (rollback.sh) with /bin/sh, as a person would, so the command and
 * the file in the PR are the same code. Output is collected for the report.
 */
export function runShellScript(input: { script: string; args: string[]; cwd: string; signal?: AbortSignal | undefined }): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", [input.script, ...input.args], { cwd: input.cwd, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"], signal: input.signal });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", (error) => resolve({ exitCode: null, output: `${output}${error.message}\n` }));
    child.on("close", (code) => resolve({ exitCode: code, output }));
  });
}
