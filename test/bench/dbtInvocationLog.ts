import { chmodSync, writeFileSync } from "node:fs";

// Counting dbt from the outside. The restore use case starts dbt only through spawnDbt
// (src/adapters/dbt/spawnDbt.ts), with the command of the DbtInstallation it is given. Giving it a
// wrapper script instead of dbt itself makes every start of dbt leave one line in a log: the
// subcommand, start and end (nanoseconds, monotonic enough: `date +%s%N`), and the exit code. The
// wrapper then runs the real dbt with the same arguments, environment and working folder; its cost
// is one `sh` and two `date` per run (milliseconds against seconds of dbt).

export interface DbtInvocation {
  /** dbt's first argument: `parse`, `compile`, `--version`, ... */
  command: string;
  startMs: number;
  endMs: number;
  exitCode: number;
}

/**
 * Writes the wrapper. `nice`: run dbt at this niceness, and its session's autogroup too (spawnDbt
 * starts dbt in a session of its own), as the benchmark's other measured commands run.
 */
export function writeCountingDbt(options: { path: string; realDbt: string; log: string; nice: number }): void {
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const lines = ["#!/bin/sh", "# Written by the benchmark (test/bench/dbtInvocationLog.ts): logs each start of dbt, then runs it.", `start=$(date +%s%N)`];
  if (options.nice !== 0) {
    lines.push(`echo ${options.nice} > /proc/$$/autogroup 2>/dev/null`);
    lines.push(`nice -n ${options.nice} ${q(options.realDbt)} "$@"`);
  } else {
    lines.push(`${q(options.realDbt)} "$@"`);
  }
  lines.push("code=$?", `printf '%s %s %s %s\\n' "$1" "$start" "$(date +%s%N)" "$code" >> ${q(options.log)}`, 'exit "$code"', "");
  writeFileSync(options.path, lines.join("\n"));
  chmodSync(options.path, 0o755);
}

/** The log's lines, in the order the runs ended. */
export function parseInvocationLog(text: string): DbtInvocation[] {
  const runs: DbtInvocation[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const match = /^(\S*) (\d+) (\d+) (\d+)$/.exec(line.trim());
    if (!match) throw new Error(`not a dbt invocation log line: ${JSON.stringify(line)}`);
    runs.push({ command: match[1]!, startMs: Number(BigInt(match[2]!) / 1000n) / 1000, endMs: Number(BigInt(match[3]!) / 1000n) / 1000, exitCode: Number(match[4]) });
  }
  return runs;
}

/** How many runs of each subcommand, and their summed wall time. */
export function summarizeInvocations(runs: readonly DbtInvocation[]): Map<string, { count: number; wallMs: number }> {
  const out = new Map<string, { count: number; wallMs: number }>();
  for (const run of runs) {
    const entry = out.get(run.command) ?? { count: 0, wallMs: 0 };
    entry.count++;
    entry.wallMs += run.endMs - run.startMs;
    out.set(run.command, entry);
  }
  return out;
}
