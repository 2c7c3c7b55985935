import type { MigrationPlan, PlanModel, PlanStep, RiskLevel } from "./types.js";

const HEADLINE: Record<RiskLevel, { verdict: MigrationPlan["recommendation"]["verdict"]; headline: string }> = {
  low: { verdict: "proceed", headline: "✅ Safe to proceed" },
  medium: { verdict: "caution", headline: "🟡 Proceed with care" },
  high: { verdict: "review", headline: "🛑 Review before running" },
};

/**
 * The runbook's closing advice: a verdict from the risk, and the concrete steps that lower it.
 * Steps keep names apart from prose, so each renderer can show names safely (code spans in Markdown).
 */
export function recommend(input: { models: readonly PlanModel[]; level: RiskLevel; commands: MigrationPlan["commands"] }): MigrationPlan["recommendation"] {
  const { models, commands } = input;
  if (models.length === 0) return { verdict: "proceed", headline: "Nothing to restore", steps: [] };
  const steps: PlanStep[] = [];
  const step = (text: string, names: string[] = [], command: string | null = null) => steps.push({ text, models: names, command });
  const untested = models.filter((m) => m.tests.length === 0 && m.materialization !== "ephemeral").map((m) => m.name);
  if (untested.length > 0) step("Add tests before running (at least unique and not_null on the key):", untested);
  const unknown = models.filter((m) => m.uniqueId === null).map((m) => m.name);
  if (unknown.length > 0) step("Find out why dbt does not report these before running anything:", unknown);
  const holding = models.filter((m) => !["view", "ephemeral"].includes(m.materialization)).map((m) => m.name);
  if (holding.length > 0) step("Run during a low-traffic window; these build relations that hold data:", holding);
  for (const command of commands.backfill) step("Load history in batches:", [], command);
  const readers = [...new Set(models.flatMap((m) => m.dependents.active))];
  if (readers.length > 0) step("After the run, check the active models that read the restored ones:", readers);
  step("Run it with checks (dbt debug, upstream relations, dbt run, dbt test, validation):", [], commands.run);
  step("If it goes wrong, drop what the restore created and re-skip the files:", [], commands.rollback);
  return { ...HEADLINE[input.level], steps };
}
