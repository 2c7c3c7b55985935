import type { CliIo } from "../../src/cli/cliCommand.js";
import { verifyCommand } from "../../src/cli/verifyCommand.js";
import type { VerifyResult } from "../../src/core/verify/verifyReport.js";

/** `dbt-unskip verify --json ...` from the sources: its exit code, the parsed result and stderr. */
export async function runVerifyCommand(args: string[], cwd: string): Promise<{ code: number; result: VerifyResult; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: { isTTY: false } as NodeJS.ReadStream,
    cwd,
  };
  const code = await verifyCommand.run(["--json", ...args], io);
  return { code, result: JSON.parse(stdout) as VerifyResult, stderr };
}
