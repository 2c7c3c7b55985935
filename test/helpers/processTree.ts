import { execFileSync } from "node:child_process";

interface Row {
  pid: number;
  ppid: number;
  line: string;
}

function processRows(): Row[] {
  const text = execFileSync("ps", ["-eo", "pid=,ppid=,pgid=,stat=,etimes=,time=,args="], { encoding: "utf8" });
  return text.split("\n").flatMap((line) => {
    const [pid, ppid] = line.trim().split(/\s+/, 2).map(Number);
    return pid && ppid !== undefined && !Number.isNaN(ppid) ? [{ pid, ppid, line: line.trim().slice(0, 400) }] : [];
  });
}

/** The processes of `roots` and everything under them. */
export function descendantsOf(roots: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const row of processRows()) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row.pid]);
  const found: number[] = [];
  const pending = [...roots];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (found.includes(pid)) continue;
    found.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * What a hung test prints: each root's tree (`pid ppid pgid stat elapsed-s cpu args`), indented by
 * depth. The roots are the processes a test started and those that run work for them (a dbt fork
 * server's children are not the Action's, but run its dbt).
 */
export function describeProcessTrees(roots: readonly number[]): string {
  const rows = processRows();
  const byPid = new Map(rows.map((row) => [row.pid, row]));
  const children = new Map<number, Row[]>();
  for (const row of rows) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  const lines = ["PID PPID PGID STAT ELAPSED TIME ARGS"];
  const seen = new Set<number>();
  const walk = (row: Row, depth: number) => {
    if (seen.has(row.pid)) return;
    seen.add(row.pid);
    lines.push(`${"  ".repeat(depth)}${row.line}`);
    for (const child of children.get(row.pid) ?? []) walk(child, depth + 1);
  };
  for (const pid of roots) {
    const row = byPid.get(pid);
    if (row) walk(row, 0);
    else lines.push(`(${pid}: gone)`);
  }
  return lines.join("\n");
}

/** The dbt fork servers running from this checkout's script (`root`: the repository folder). */
export function forkServersOf(root: string): number[] {
  const rows = processRows();
  const dir = root.replace(/\/+$/, "");
  const commands = [`${dir}/src/adapters/dbt/dbtForkServer.py serve`, `${dir}/dist/dbtForkServer.py serve`];
  const server = (row: Row | undefined) => row !== undefined && commands.some((command) => row.line.includes(command));
  const byPid = new Map(rows.map((row) => [row.pid, row]));
  // A server's forked children (its dbt calls) carry its command line: they are shown under it.
  return rows.filter((row) => server(row) && !server(byPid.get(row.ppid))).map((row) => row.pid);
}
