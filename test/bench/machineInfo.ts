import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { arch, availableParallelism, cpus, release, totalmem, type } from "node:os";
import { join } from "node:path";

/** What the figures were measured on, and what was measured. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  /** The version of the Node that runs the measured commands (BenchOptions.node). */
  node: string;
  /** The version of the Node running the benchmark itself. */
  runnerNode: string;
  python: string;
  dbt: string;
  date: string;
  /** The commit measured, with a note when the tree had changes. */
  commit: string;
  /** sha256 (first 12 hex digits) of the CLI bundle that was run (normally dist/cli.js). */
  cliHash: string;
}

export function machineInfo(input: { repoRoot: string; dbt: string | null; cli: string; node: string }): MachineInfo {
  const { repoRoot } = input;
  const venvPython = join(repoRoot, ".venv", "bin", "python");
  const python = existsSync(venvPython) ? venvPython : "python3";
  const pythonVersion = run(python, ["--version"]) ?? "not found";
  const dbtVersion = input.dbt ? (run(python, ["-c", "import importlib.metadata as m; print('dbt-core ' + m.version('dbt-core') + ', dbt-duckdb ' + m.version('dbt-duckdb'))"]) ?? "unknown") : "not installed";
  const osRelease = existsSync("/etc/os-release") ? /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] : undefined;
  const head = run("git", ["rev-parse", "--short", "HEAD"], repoRoot) ?? "unknown";
  const dirty = (run("git", ["status", "--porcelain"], repoRoot) ?? "") !== "";
  const { cli } = input;
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${osRelease ?? type()} (${type()} ${release()}, ${arch()})`,
    node: run(input.node, ["--version"]) ?? "unknown",
    runnerNode: process.version,
    python: `${pythonVersion}${python === venvPython ? " (the project's .venv)" : ""}`,
    dbt: dbtVersion,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    commit: `${head}${dirty ? " with uncommitted changes" : ""}`,
    cliHash: existsSync(cli) ? createHash("sha256").update(readFileSync(cli)).digest("hex").slice(0, 12) : "missing",
  };
}

function run(command: string, args: string[], cwd?: string): string | null {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) return null;
  return `${result.stdout}${result.stderr}`.trim();
}
