import type { Disagreement, VerifyReport, VerifyResult } from "./verifyReport.js";

function percent(part: number, whole: number): string {
  return whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(1)}%`;
}

function edgeTotal(r: VerifyReport): number {
  return r.edges.right + r.edges.missed + r.edges.dynamic;
}

function line(d: Disagreement): string {
  return `${d.file}${d.line ? `:${d.line}` : ""}  ${d.model}: ${d.reason}`;
}

/** The terminal form of `dbt-unskip verify`. */
export function renderVerifyText(result: VerifyResult): string {
  const out: string[] = [];
  for (const r of result.projects) {
    out.push(`${r.project}${r.projectDir ? ` (${r.projectDir})` : ""}: the static engine against dbt ${result.dbtVersion}`);
    out.push(`  models compared: ${r.models.compared} (${r.models.paused} paused)`);
    out.push(`  edges: ${r.edges.right} right, ${r.edges.added} added, ${r.edges.missed} missed, ${r.edges.dynamic} dynamic (${percent(r.edges.right, edgeTotal(r))} of dbt's edges found statically)`);
    out.push(`  enabled-ness: ${r.enabled.right} right, ${r.enabled.wrong} wrong; package models: ${r.packageModels.right} right, ${r.packageModels.wrong} wrong`);
    const ready = r.disagreements.filter((d) => d.risk === "wrongly-ready");
    const blocked = r.disagreements.filter((d) => d.risk === "wrongly-blocked");
    if (ready.length > 0) {
      out.push(`  could make a model wrongly ready (${ready.length}):`);
      for (const d of ready) out.push(`    ${line(d)}`);
    }
    if (blocked.length > 0) {
      out.push(`  only too careful, could make a model wrongly blocked (${blocked.length}):`);
      for (const d of blocked) out.push(`    ${line(d)}`);
    }
    if (r.unparsed.length > 0) {
      out.push(`  paused files dbt cannot parse (not compared) (${r.unparsed.length}):`);
      for (const u of r.unparsed) out.push(`    ${u.file}: ${u.message}`);
    }
    out.push("");
  }
  out.push(
    result.safe
      ? "verify: nothing here could make a model wrongly ready."
      : `verify: ${result.projects.reduce((n, r) => n + r.wronglyReady, 0)} disagreement(s) could make a model wrongly ready; use \`status --exact\` on this project until they are fixed.`,
  );
  return `${out.join("\n")}\n`;
}

/** The job-summary / comment form: one table row per project, then the disagreements. */
export function renderVerifyMarkdown(result: VerifyResult): string {
  const out: string[] = [];
  out.push(`## dbt-unskip verify (dbt ${result.dbtVersion})`);
  out.push("");
  out.push(result.safe ? "No disagreement could make a model wrongly ready." : "**Some disagreements could make a model wrongly ready.** Use exact mode until they are fixed.");
  out.push("");
  out.push("| project | models | edges right | added | missed | dynamic | enabled-ness right | wrong | package models right | wrong | wrongly ready | wrongly blocked |");
  out.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of result.projects) {
    out.push(
      `| ${r.project} | ${r.models.compared} | ${r.edges.right} | ${r.edges.added} | ${r.edges.missed} | ${r.edges.dynamic} | ${r.enabled.right} | ${r.enabled.wrong} | ${r.packageModels.right} | ${r.packageModels.wrong} | ${r.wronglyReady} | ${r.wronglyBlocked} |`,
    );
  }
  for (const r of result.projects) {
    if (r.disagreements.length === 0) continue;
    out.push("");
    out.push(`### ${r.project}`);
    out.push("");
    for (const d of r.disagreements) out.push(`- ${d.risk === "wrongly-ready" ? "**wrongly ready**" : "wrongly blocked"}: \`${d.file}${d.line ? `:${d.line}` : ""}\` ${d.model}: ${escapeMd(d.reason)}`);
  }
  return `${out.join("\n")}\n`;
}

function escapeMd(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === "<" ? "&lt;" : "&gt;"));
}
