// Pure part of the GitHub API calls benchmark: how a scenario's requests are listed, counted and held
// to their target (tested in apiCallReport.test.ts).

export interface ApiScenario {
  /** What happened, e.g. "PR opened: first run". */
  name: string;
  /** `METHOD /path` of every request the Action made, in order (query strings left out). */
  calls: string[];
  /** At most this many requests (issue 7: ≤ 3 for an unchanged PR), or null when no target is set. */
  target: number | null;
  /** What the Action reported (an output), to show the run did what the scenario says. */
  outcome: string;
  /** Problems: unexpected requests, expected ones not made, a wrong exit code or output. */
  problems: string[];
}

/** A request that changes something on GitHub. GraphQL here is only ever the who-am-I query, a read. */
export function isWrite(call: string): boolean {
  const [method, path] = call.split(" ", 2);
  if (method === "GET" || method === "HEAD") return false;
  return !(method === "POST" && path === "/graphql");
}

/** Consecutive identical calls folded into one `n × call` entry. */
export function foldCalls(calls: readonly string[]): string[] {
  const out: { call: string; n: number }[] = [];
  for (const call of calls) {
    const last = out[out.length - 1];
    if (last && last.call === call) last.n++;
    else out.push({ call, n: 1 });
  }
  return out.map(({ call, n }) => (n === 1 ? call : `${n} × ${call}`));
}

/** Paths shortened for the table: the fixture repository's prefix becomes `…`, a commit sha `{sha}`. */
export function shortCall(call: string, repoPrefix: string): string {
  return call.replace(` ${repoPrefix}/`, " …/").replace(/\b[0-9a-f]{40}\b/g, "{sha}");
}

export function targetCell(s: ApiScenario): string {
  if (s.target === null) return "";
  return `≤ ${s.target}: ${s.calls.length <= s.target ? "✅ met" : "❌ **missed**"}`;
}

export function apiRows(scenarios: readonly ApiScenario[], repoPrefix: string): string[][] {
  return scenarios.map((s) => [
    s.name,
    s.calls.length === 0
      ? "(none)"
      : foldCalls(s.calls.map((c) => shortCall(c, repoPrefix)))
          .map((c) => `\`${c}\``)
          .join("<br>"),
    String(s.calls.length),
    String(s.calls.filter(isWrite).length),
    targetCell(s),
    `${s.problems.length === 0 ? "✅" : "❌"} ${s.outcome}${s.problems.length > 0 ? ` (${s.problems.join("; ")})` : ""}`,
  ]);
}

export const API_HEADER = ["scenario", "requests (in order)", "requests", "writes", "target", "outcome (checked)"];
