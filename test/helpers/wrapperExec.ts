import { consoleScriptPython, FORK_SERVER_ATTACH_ENV_VAR, FORK_SERVER_SCRIPT, type SharedForkServer } from "../../src/adapters/dbt/forkServer.js";

const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/**
 * The last lines of a test's shell wrapper around dbt (one that logs its calls, sets a variable or
 * plants a fault, then runs dbt with "$@"): `exec dbt "$@"`, or, when the suite shares a dbt fork
 * server (forkServerSetup.ts) for this dbt, the production client for that server first
 * (`dbtForkServer.py run SOCKET "$@"`, as spawnDbt runs it), which runs this very call, with the
 * wrapper's environment, folder and pipes, in a child of the server; only when the server says it
 * cannot (exit 75: nothing ran; the call's environment differs in what dbt read at import, or the
 * server is gone) does the wrapper start dbt itself. A stop signal reaches the client as it would
 * reach dbt (same process group); the wrapper ends the way the client did.
 */
export async function execDbtLines(command: string): Promise<string> {
  const plain = `exec ${quote(command)} "$@"`;
  const python = await consoleScriptPython(command);
  let entries: SharedForkServer[] = [];
  try {
    entries = JSON.parse(process.env[FORK_SERVER_ATTACH_ENV_VAR] ?? "[]") as SharedForkServer[];
  } catch {
    entries = [];
  }
  // The first entry is the test files' own environment (forkServerSetup.ts), the one a wrapper sees.
  const shared = entries.find((entry) => entry.command === command);
  if (!python || !shared) return plain;
  return [
    `${quote(python)} -I -S ${quote(FORK_SERVER_SCRIPT)} run ${quote(shared.socket)} "$@" 3>/dev/null`,
    "status=$?",
    'if [ "$status" -ne 75 ]; then',
    // Died of a signal (128 + n): die of the same one, as an exec'd dbt would have.
    '  if [ "$status" -gt 128 ]; then sig=$(kill -l "$status"); trap - "$sig"; kill -s "$sig" $$; fi',
    '  exit "$status"',
    "fi",
    plain,
  ].join("\n");
}
