import { execFile } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./scratchExample.js";

// Tests look into the DuckDB file directly with the venv's Python; the product only ever goes
// through dbt. The script and its arguments travel as argv, never through a shell.
const PYTHON = join(REPO_ROOT, ".venv", "bin", "python");

function python(code: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ["-c", code, ...args], { cwd, encoding: "utf8" }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
  });
}

/** Every table and view, as `schema.name (TYPE)`, sorted. */
export async function duckdbTables(path: string): Promise<string[]> {
  const out = await python(
    "import duckdb, json, sys\nc = duckdb.connect(sys.argv[1], read_only=True)\nprint(json.dumps([f'{s}.{n} ({t})' for s, n, t in c.execute('select table_schema, table_name, table_type from information_schema.tables').fetchall()]))",
    [path],
  );
  return (JSON.parse(out) as string[]).sort();
}

/** Runs SQL (one or more statements) against the file, from `cwd` (CSV sources are relative). */
export async function duckdbExecute(path: string, sql: string, cwd?: string): Promise<unknown[][]> {
  const out = await python(
    "import duckdb, json, sys\nc = duckdb.connect(sys.argv[1])\nr = c.execute(sys.argv[2])\ntry:\n    rows = r.fetchall()\nexcept Exception:\n    rows = []\nprint(json.dumps(rows, default=str))",
    [path, sql],
    cwd,
  );
  return JSON.parse(out) as unknown[][];
}
