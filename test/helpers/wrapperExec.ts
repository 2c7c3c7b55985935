import { consoleScriptPython, FORK_SERVER_ATTACH_ENV_VAR, FORK_SERVER_SCRIPT, type SharedForkServer } from "../../src/adapters/dbt/forkServer.js";

const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/**
 * The last lines of a test's shell wrapper around dbt (one that logs its calls, sets a variable or
 * plants a fault, then runs dbt with "$@"): `exec dbt "$@"`, or, when the suite shares a dbt fork
 * server (forkServerSetup.ts) for this dbt, the production client for that server first
 * (`dbtForkServer.py run SOCKET "$@"`, as spawnDbt runs it), which runs this very call, with the
 * wrapper's environment, folder and pipes, in a child of the server; only when the server says it
 * cannot (exit 75: nothing ran; the call's environment differs in what dbt read at import, or the
 * server is gone) does the wrapper try the next shared server, then start dbt itself. A stop signal reaches the client as it would
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
  // One server per interpreter settings (forkServerSetup.ts): the one for this call's is the one that does not say 75.
  const sockets = entries.filter((entry) => entry.command === command).map((entry) => entry.socket);
  if (!python || sockets.length === 0) return plain;
  return [
    `for socket in ${sockets.map(quote).join(" ")}; do`,
    `  ${quote(python)} -I -S ${quote(FORK_SERVER_SCRIPT)} run "$socket" "$@" 3>/dev/null`,
    "  status=$?",
    '  if [ "$status" -ne 75 ]; then',
    // Died of a signal (128 + n): die of the same one, as an exec'd dbt would have.
    '    if [ "$status" -gt 128 ]; then sig=$(kill -l "$status"); trap - "$sig"; kill -s "$sig" $$; fi',
    '    exit "$status"',
    "  fi",
    "done",
    plain,
  ].join("\n");
}
