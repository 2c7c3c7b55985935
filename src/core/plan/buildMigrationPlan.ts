import { joinPath } from "../project/projectSnapshot.js";
import { restoredSelection } from "../restore/restoredSelection.js";
import type { ReadinessReport } from "../readiness/readinessReport.js";
import { assessRisk, highestRisk, MANY_DEPENDENTS } from "./assessRisk.js";
import { findModel, type ManifestIndex, type ManifestNode } from "./manifestIndex.js";
import { recommend } from "./recommend.js";
import { qualifiedName, relationParts } from "./relationName.js";
import { renderRollbackSql } from "./rollbackSql.js";
import { rollbackScript, sha256Hex } from "./rollbackScript.js";
import { sqlDialect, type SqlDialect } from "./sqlDialect.js";
import type { MigrationPlan, PlanBasis, PlanDependency, PlanModel, PlannedFile } from "./types.js";
import { renderValidationSql, validationChecks } from "./validationSql.js";

export interface PlanInput {
  dimension: string;
  project: { name: string; dir: string };
  basis: PlanBasis;
  /** In restore order. */
  files: readonly PlannedFile[];
  /** dbt's manifest with these files restored. */
  manifest: ManifestIndex;
  /** Readiness of the project, for the paused models that wait on the batch. */
  report: ReadinessReport;
  reSkipped?: { name: string; reason: string }[];
  stayingPaused?: { name: string; reason: string }[];
  /** The state document before the restore, and its digest after it (when the restore is committed). */
  stateDocument: { path: string; previousText: string; afterSha256: string | null } | null;
  /** Prefix that makes repository paths relative to the git top level (when the root is below it). */
  gitPrefix?: string;
  /** How the CLI is invoked in the commands the plan suggests. */
  cli?: string;
}

/** The plan, the rollback and the validation of one restore batch, from dbt's own manifest. */
export function buildMigrationPlan(input: PlanInput): MigrationPlan {
  const { manifest, report, dimension } = input;
  const cli = input.cli ?? "dbt-unskip";
  const dialect = sqlDialect(manifest.adapterType);
  const nodes = input.files.map((file) => findModel(manifest, { file: file.realFile, name: file.name }));
  const batchIds = new Set(nodes.filter((n): n is ManifestNode => n !== null).map((n) => n.uniqueId));
  const batchNames = new Set(input.files.map((f) => f.name));

  const models = input.files.map((file, index): PlanModel => {
    const node = nodes[index] ?? null;
    const materialization = materializationOf(node);
    const parts = node && materialization !== "ephemeral" ? relationParts(dialect, node) : null;
    const tests = node ? manifest.tests.filter((t) => t.models.includes(node.uniqueId)) : [];
    const testedUnique = tests.flatMap((t) => t.uniqueColumns);
    const children = node ? [...manifest.nodes.values()].filter((n) => n.resourceType !== "source" && n.dependsOn.includes(node.uniqueId)) : [];
    const paused = pausedWaitingOn(report, file.name, batchNames);
    const dependents = {
      active: children.filter((c) => !batchIds.has(c.uniqueId)).map((c) => c.name),
      inBatch: children.filter((c) => batchIds.has(c.uniqueId)).map((c) => c.name),
      paused,
    };
    const dependentCount = dependents.active.length + dependents.inBatch.length + dependents.paused.length;
    return {
      ...file,
      order: index + 1,
      uniqueId: node?.uniqueId ?? null,
      materialization,
      incrementalStrategy: node?.incrementalStrategy ?? null,
      relation: parts ? qualifiedName(dialect, parts) : null,
      relationParts: parts?.parts ?? null,
      dependsOn: (node?.dependsOn ?? []).map((id) => dependencyOf(id, manifest, batchIds, dialect)),
      dependents,
      tests: tests.map((t) => t.name),
      uniqueKey: node && node.uniqueKey.length > 0 ? node.uniqueKey : [...new Set(testedUnique)],
      microbatch: materialization === "microbatch" && node ? { eventTime: node.eventTime, begin: node.begin, batchSize: node.batchSize } : null,
      risk: assessRisk({ materialization, tests: tests.length, dependents: dependentCount, known: node !== null }),
    };
  });

  const riskLevel = highestRisk(models.map((m) => m.risk.level));
  const riskReasons = overallReasons(models);
  // A command people paste into a shell: a name that is not a plain word is quoted.
  const select = restoredSelection(models);
  const commands = {
    run: `${cli} run --dimension ${dimension}`,
    rollback: `${cli} rollback --dimension ${dimension}`,
    backfill: models
      .filter((m) => m.materialization === "microbatch" || m.materialization === "incremental")
      .map((m) => `${cli} backfill --model ${m.name} --start ${m.microbatch?.begin?.slice(0, 10) ?? "YYYY-MM-DD"} --end YYYY-MM-DD --batch ${m.microbatch?.batchSize === "month" ? "month" : "day"}`),
  };
  const checks = validationChecks(models);
  const prefix = input.gitPrefix ?? "";
  const stateDocument = input.stateDocument;
  return {
    dimension,
    project: input.project,
    adapter: manifest.adapterType,
    dialect,
    basis: input.basis,
    models,
    reSkipped: input.reSkipped ?? [],
    stayingPaused: input.stayingPaused ?? [],
    risk: { level: riskLevel, reasons: riskReasons },
    recommendation: recommend({ models, level: riskLevel, commands }),
    stateDocument: stateDocument ? { path: stateDocument.path, previousSha256: sha256Hex(stateDocument.previousText), afterSha256: stateDocument.afterSha256 } : null,
    rollback: {
      command: commands.rollback,
      sql: renderRollbackSql({ dimension, dialect, models }),
      script: rollbackScript({
        dimension,
        files: models.map((m) => ({
          restored: prefix + joinPath(input.project.dir, m.realFile),
          skipped: prefix + joinPath(input.project.dir, m.skipFile),
          sha256: m.sha256,
        })),
        stateDocument: stateDocument ? { ...stateDocument, path: prefix + stateDocument.path } : null,
      }),
    },
    validation: {
      command: `dbt test --select ${select}`,
      tests: [...new Set(models.flatMap((m) => m.tests))],
      checks,
      sql: renderValidationSql({ dimension, checks }),
    },
    commands,
  };
}

function materializationOf(node: ManifestNode | null): string {
  if (!node) return "unknown";
  const materialized = node.materialized ?? "unknown";
  if (materialized === "incremental" && node.incrementalStrategy === "microbatch") return "microbatch";
  return materialized;
}

function dependencyOf(id: string, manifest: ManifestIndex, batch: Set<string>, dialect: SqlDialect): PlanDependency {
  const node = manifest.nodes.get(id);
  if (!node) return { name: id.split(".").slice(2).join("."), type: id.split(".")[0] ?? "node", inBatch: false, relation: null };
  const name = node.resourceType === "source" ? id.split(".").slice(2).join(".") : node.name;
  const parts = node.materialized === "ephemeral" ? null : relationParts(dialect, node);
  return { name, type: node.resourceType, inBatch: batch.has(id), relation: parts ? qualifiedName(dialect, parts) : null };
}

/** Paused models outside the batch that ref this one, with the root causes that still hold them. */
function pausedWaitingOn(report: ReadinessReport, name: string, batch: Set<string>) {
  return report.models
    .filter((m) => !batch.has(m.name) && m.dependencies.some((d) => d.type === "ref" && (d.name === name || d.name.endsWith(`.${name}`))))
    .map((m) => ({
      name: m.name,
      dimension: m.dimension,
      stillBlockedBy: m.blockedBy.map((k) => k.slice(k.indexOf(":") + 1)).filter((n) => !batch.has(n)),
    }));
}

function overallReasons(models: PlanModel[]): string[] {
  const reasons: string[] = [];
  const count = (pred: (m: PlanModel) => boolean) => models.filter(pred).map((m) => m.name);
  const creating = count((m) => !["view", "ephemeral"].includes(m.materialization));
  const untested = count((m) => m.tests.length === 0 && m.materialization !== "ephemeral");
  const busy = count((m) => m.dependents.active.length + m.dependents.inBatch.length + m.dependents.paused.length >= MANY_DEPENDENTS);
  const unknown = count((m) => m.uniqueId === null);
  if (creating.length > 0) reasons.push(`creates data: ${creating.join(", ")}`);
  if (untested.length > 0) reasons.push(`no tests: ${untested.join(", ")}`);
  if (busy.length > 0) reasons.push(`many dependents: ${busy.join(", ")}`);
  if (unknown.length > 0) reasons.push(`not in dbt's manifest: ${unknown.join(", ")}`);
  if (reasons.length === 0 && models.length > 0) reasons.push("views and ephemeral models only, all tested");
  return reasons;
}
