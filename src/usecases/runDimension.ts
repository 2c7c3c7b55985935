import { interruptedBy } from "../core/interrupt/interruptedBy.js";
import { join, resolve } from "node:path";
import { readManifest, type ManifestIndex } from "../core/plan/manifestIndex.js";
import type { MigrationPlan } from "../core/plan/types.js";
import { evaluateValidation } from "../core/warehouseRun/evaluateValidation.js";
import { progressLine } from "../core/warehouseRun/progressLine.js";
import { redactDeep, redactSecrets } from "../core/warehouseRun/redactSecrets.js";
import { readRunResults, type NodeResult } from "../core/warehouseRun/runResults.js";
import type { ExecutionStep, RunOutcome, StepStatus } from "../core/warehouseRun/runOutcome.js";
import { UserError } from "../core/userError.js";
import { planFromCommit } from "./planDimension.js";
import { readRestoreCommit } from "./readRestoreCommit.js";
import { reportForDimension } from "./reportForDimension.js";
import type { TreeChangePorts } from "./treeChangePorts.js";
import type { DimensionWarehouseInput, RelationAddress } from "./warehouseDbt.js";

/** What a run needs; it reads the restore commit (`git`) and the restored files (`disk`) through restore's ports, and runs dbt through `warehouse`. */
export interface RunInput extends Pick<TreeChangePorts, "disk" | "git">, DimensionWarehouseInput {
  /** Asked once, after the plan is known and before anything runs; false cancels. */
  confirm: (plan: MigrationPlan) => Promise<boolean>;
  cli?: string;
  now?: () => Date;
}

/**
 * Runs the models the latest restore of a dimension brought back, as the runbook says: approval,
 * pre-flight (dbt debug, upstream relations exist), dbt run, dbt test, validation queries, and an
 * execution log. On failure the rollback is offered, never run.
 */
export async function runDimension(input: RunInput): Promise<RunOutcome> {
  const now = input.now ?? (() => new Date());
  const started = now();
  const clock = () => (now().getTime() - started.getTime()) / 1000;
  const say = (line: string) => input.progress(redactSecrets(line, input.secrets));

  const commit = await readRestoreCommit(input.git, input.root, input.dimension);
  if (!commit || commit.files.length === 0) {
    throw new UserError(
      `no restore of ${input.dimension} on this branch (a commit "resume: ${input.dimension} migration" by dbt-unskip); run \`dbt-unskip restore --dimension ${input.dimension}\` first, and commit it`,
    );
  }
  for (const file of commit.files) {
    if (!(await input.disk.exists(join(input.root, file.to)))) {
      throw new UserError(`${file.to} is not in the working tree (paused again or moved since the restore ${commit.sha.slice(0, 12)}); nothing to run`);
    }
  }
  const report = await reportForDimension({ ...input, paths: commit.files.map((f) => f.to) });
  const warehouse = input.warehouse;
  const ctx = { ...input.dbt, projectDir: resolve(input.root, report.project.dir || ".") };
  const target = await warehouse.targetDir(ctx.projectDir);
  const rollbackCommand = `${input.cli ?? "dbt-unskip"} rollback --dimension ${input.dimension}`;
  const outcome: RunOutcome = {
    result: "cancelled",
    dimension: input.dimension,
    project: report.project.dir,
    commit: commit.sha,
    startedAt: started.toISOString(),
    seconds: 0,
    steps: [],
    upstream: [],
    existedBefore: [],
    models: [],
    tests: [],
    validation: [],
    rollbackCommand: null,
    error: null,
  };
  const finish = (result: RunOutcome["result"], error: string | null = null): RunOutcome => {
    // Once Ctrl-C stopped dbt, what failed is the interrupt's doing, not the models'.
    const stoppedBy = result === "succeeded" || result === "cancelled" ? null : interruptedBy(input.dbt.signal);
    if (stoppedBy !== null) {
      const ran = outcome.steps.some((s) => s.step === "dbt run");
      // The step dbt was stopped in: the steps listed as skipped after it never started.
      const during = outcome.steps.findLast((s) => s.status !== "skipped")?.step ?? "the start";
      const after = ran ? "; what dbt finished before it stays built (see the models above)" : "; nothing ran in the warehouse";
      return redactDeep({ ...outcome, result: "interrupted", error: `stopped by ${stoppedBy} during ${during}${after}`, seconds: clock(), rollbackCommand: ran ? rollbackCommand : null }, input.secrets);
    }
    return redactDeep({ ...outcome, result, error, seconds: clock(), rollbackCommand: result === "failed" ? rollbackCommand : null }, input.secrets);
  };
  const step = async <T>(name: string, work: () => Promise<{ status: StepStatus; detail?: string | null; value: T }>): Promise<T> => {
    const t0 = clock();
    say(`==> ${name}`);
    const done = await work();
    outcome.steps.push({ step: name, status: done.status, seconds: clock() - t0, detail: done.detail ?? null } satisfies ExecutionStep);
    return done.value;
  };

  // The plan, from dbt's view of the tree as it is (restored models active).
  const manifest = await step("dbt parse", async () => {
    // A partial parse after a restore misses the tests that an unchanged YAML file declares for the
    // restored models (dbt 1.11); a full parse also leaves a correct partial-parse state for run/test.
    const result = await warehouse.invoke(ctx, ["parse", "--no-partial-parse"]);
    const raw = result.exitCode === 0 ? await warehouse.readManifest(target) : null;
    return { status: raw ? "ok" : "failed", detail: raw ? null : result.failure, value: raw ? readManifest(raw) : null };
  });
  if (!manifest) return finish("preflight-failed", outcome.steps.at(-1)?.detail ?? "dbt parse failed");
  const plan = planFromCommit({ dimension: input.dimension, report, commit, manifest });
  if (!(await input.confirm(redactDeep(plan, input.secrets)))) return finish("cancelled");

  // Pre-flight: nothing runs unless dbt reaches the warehouse and every input exists.
  const debug = await step("Pre-check: dbt debug (connection)", async () => {
    const result = await warehouse.invoke(ctx, ["debug"]);
    return { status: result.exitCode === 0 ? "ok" : "failed", detail: result.exitCode === 0 ? null : result.failure, value: result.exitCode === 0 };
  });
  if (!debug) return finish("preflight-failed", outcome.steps.at(-1)?.detail ?? null);
  const probed = await step("Pre-check: upstream relations exist", async () => {
    const upstream = upstreamAddresses(plan, manifest);
    const own = ownAddresses(plan, manifest);
    const answer = await warehouse.probeRelations(ctx, [...upstream.map((u) => u.address), ...own.map((o) => o.address)]);
    if (!answer.ok) return { status: "failed", detail: answer.error, value: false };
    // Ephemeral models and external files (dbt-duckdb's CSV sources) have no relation to look for.
    const unchecked = new Map<string, { name: string; relation: string | null; present: null }>();
    for (const d of plan.models.flatMap((m) => m.dependsOn)) {
      if (!d.inBatch && !upstream.some((u) => u.name === d.name)) unchecked.set(d.name, { name: d.name, relation: d.relation, present: null });
    }
    outcome.upstream = [...upstream.map((u, i) => ({ name: u.name, relation: u.relation, present: answer.present[i] ?? false })), ...unchecked.values()];
    outcome.existedBefore = own.filter((_, i) => answer.present[upstream.length + i]).map((o) => o.relation);
    const missing = outcome.upstream.filter((u) => u.present === false).map((u) => u.name);
    return { status: missing.length > 0 ? "failed" : "ok", detail: missing.length > 0 ? `missing: ${missing.join(", ")}` : null, value: missing.length === 0 };
  });
  if (!probed) return finish("preflight-failed", outcome.steps.at(-1)?.detail ?? null);

  // dbt run, then dbt test, on exactly the restored models.
  const select = ["--select", ...plan.models.map((m) => m.name)];
  const onEvent = (event: { name: string; level: string; msg: string }) => {
    const line = progressLine(event);
    if (line) say(`  ${line}`);
  };
  const ran = await step("dbt run", async () => {
    const result = await warehouse.invoke(ctx, ["run", ...select], onEvent);
    const results = readRunResults(await warehouse.readRunResults(target));
    outcome.models = plan.models.map((m) => {
      const r = results.find((x) => x.uniqueId === m.uniqueId);
      // dbt runs no node for an ephemeral model: it is inlined into the models that read it.
      const status = r?.status ?? (m.materialization === "ephemeral" ? "ephemeral" : "not run");
      return { name: m.name, relation: m.relation, status, seconds: r?.seconds ?? 0, rows: r?.rowsAffected ?? null, rowsFrom: r?.rowsAffected != null ? "adapter" : null, message: r?.message ?? null };
    });
    const ok = result.exitCode === 0 && outcome.models.every((m) => m.status === "success" || m.status === "ephemeral");
    return { status: ok ? "ok" : "failed", detail: ok ? null : result.failure, value: ok };
  });
  if (!ran) {
    const why = input.dbt.signal?.aborted ? "interrupted" : "dbt run failed";
    outcome.steps.push({ step: "dbt test", status: "skipped", seconds: 0, detail: why }, { step: "Post-validation", status: "skipped", seconds: 0, detail: why });
    return finish("failed", outcome.steps.find((s) => s.step === "dbt run")?.detail ?? "dbt run failed");
  }
  const tested = await step("dbt test", async () => {
    if (plan.validation.tests.length === 0) return { status: "skipped", detail: "the restored models have no tests", value: true };
    const result = await warehouse.invoke(ctx, ["test", ...select], onEvent);
    const results = readRunResults(await warehouse.readRunResults(target));
    outcome.tests = results.filter((r) => r.uniqueId.startsWith("test.") || r.uniqueId.startsWith("unit_test.")).map((r) => testRun(r, manifest));
    const failed = result.exitCode !== 0 || outcome.tests.some((t) => t.status === "fail" || t.status === "error");
    const warned = outcome.tests.some((t) => t.status === "warn");
    return { status: failed ? "failed" : warned ? "warn" : "ok", detail: failed ? `${outcome.tests.filter((t) => t.status === "fail" || t.status === "error").length} failing` : null, value: !failed };
  });
  // Stopped during dbt test: the validation queries are not started (dbt would be stopped at once).
  if (input.dbt.signal?.aborted) {
    outcome.steps.push({ step: "Post-validation", status: "skipped", seconds: 0, detail: "interrupted" });
    return finish("failed", "interrupted");
  }
  const validated = await step("Post-validation", async () => {
    if (plan.validation.checks.length === 0) return { status: "skipped", detail: "no relation to check", value: true };
    const shown = await warehouse.showQuery(ctx, { sql: plan.validation.sql });
    if (!shown.ok) return { status: "failed", detail: shown.error, value: false };
    outcome.validation = evaluateValidation(plan.validation.checks, shown.rows);
    for (const model of outcome.models) {
      const count = outcome.validation.find((v) => v.model === model.name && v.kind === "row_count");
      if (model.rows === null && count?.observed != null) {
        model.rows = count.observed;
        model.rowsFrom = "count";
      }
    }
    const failed = outcome.validation.some((v) => v.status === "failed");
    const warned = outcome.validation.some((v) => v.status === "warn");
    return { status: failed ? "failed" : warned ? "warn" : "ok", detail: null, value: !failed };
  });
  return finish(tested && validated ? "succeeded" : "failed", tested && validated ? null : "the restored models ran, but tests or validation failed");
}

function testRun(r: NodeResult, manifest: ManifestIndex) {
  const name = manifest.tests.find((t) => t.uniqueId === r.uniqueId)?.name ?? r.uniqueId.split(".").slice(2, 3).join("");
  return { name, status: r.status, seconds: r.seconds, failures: r.failures, message: r.status === "pass" ? null : r.message };
}

/** Upstream nodes outside the batch that have a relation to look for (not ephemeral, not external). */
function upstreamAddresses(plan: MigrationPlan, manifest: ManifestIndex) {
  const seen = new Map<string, { name: string; relation: string | null; address: RelationAddress }>();
  for (const model of plan.models) {
    const node = model.uniqueId ? manifest.nodes.get(model.uniqueId) : undefined;
    // The plan lists a model's dependencies in the manifest's order.
    (node?.dependsOn ?? []).forEach((id, i) => {
      const dep = manifest.nodes.get(id);
      const shown = model.dependsOn[i];
      if (!dep || !shown || shown.inBatch || !shown.relation || seen.has(id) || !dep.schema || !dep.identifier) return;
      seen.set(id, { name: shown.name, relation: shown.relation, address: { database: dep.database, schema: dep.schema, identifier: dep.identifier } });
    });
  }
  return [...seen.values()];
}

/** The batch's own relations, to say which already exist (a rollback would drop them too). */
function ownAddresses(plan: MigrationPlan, manifest: ManifestIndex) {
  return plan.models.flatMap((m) => {
    const node = m.uniqueId ? manifest.nodes.get(m.uniqueId) : undefined;
    if (!node || !m.relation || !node.schema || !node.identifier) return [];
    return [{ relation: m.relation, address: { database: node.database, schema: node.schema, identifier: node.identifier } }];
  });
}
