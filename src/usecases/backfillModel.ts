import { interruptedBy } from "../core/interrupt/interruptedBy.js";
import { join, resolve } from "node:path";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { findModel, readManifest, type ManifestIndex, type ManifestNode } from "../core/plan/manifestIndex.js";
import type { BackfillOutcome } from "../core/warehouseRun/backfillOutcome.js";
import { backfillBatches, type Batch, type BatchSize } from "../core/warehouseRun/backfillBatches.js";
import { newBackfillState, pendingBatches, resumeBackfillState, type BackfillMode, type BackfillState } from "../core/warehouseRun/backfillState.js";
import { progressLine } from "../core/warehouseRun/progressLine.js";
import { redactDeep, redactSecrets } from "../core/warehouseRun/redactSecrets.js";
import { readRunResults } from "../core/warehouseRun/runResults.js";
import { UserError } from "../core/userError.js";
import type { LocalFiles } from "./localFiles.js";
import { resolveProjectDirs } from "./resolveProjectDirs.js";
import type { WarehouseDbt, WarehouseDbtSettings } from "./warehouseDbt.js";

/** The vars a plain incremental model reads its window from (`--vars`), documented in docs/plan-run.md. */
export const BACKFILL_VARS = { start: "dbt_unskip_backfill_start", end: "dbt_unskip_backfill_end" } as const;

export interface BackfillInput {
  root: string;
  config: UnskipConfig;
  model: string;
  start: string;
  end: string;
  batch: BatchSize;
  /** Forget a recorded backfill and start over. */
  restart: boolean;
  dbt: WarehouseDbtSettings;
  secrets: readonly string[];
  confirm: (summary: { model: string; mode: BackfillMode; total: number; pending: Batch[]; stateFile: string }) => Promise<boolean>;
  progress: (line: string) => void;
  now?: () => Date;
  /** Where the state file is read and written: the entry point hands in the real disk (localDisk), a test may stand in. */
  disk: LocalFiles;
  /** dbt in the user's project and its artifacts: the entry point hands in the real one (localWarehouseDbt). */
  warehouse: WarehouseDbt;
}

/**
 * Backfills an incremental or microbatch model batch by batch. Each finished batch is written to a
 * state file under dbt's target folder before the next starts, so after a failure the same command
 * continues where it stopped and never runs a finished batch again.
 */
export async function backfillModel(input: BackfillInput): Promise<BackfillOutcome> {
  const now = input.now ?? (() => new Date());
  const disk = input.disk;
  const say = (line: string) => input.progress(redactSecrets(line, input.secrets));
  const dirs = await resolveProjectDirs(input.disk.tree(input.root), input.config.projectDirs);
  if (dirs.length !== 1) throw new UserError(dirs.length === 0 ? "no dbt project found" : `several dbt projects (${dirs.join(", ")}); choose one with --project-dir`);
  const warehouse = input.warehouse;
  const ctx = { ...input.dbt, projectDir: resolve(input.root, dirs[0] || ".") };
  const target = await warehouse.targetDir(ctx.projectDir);

  say("dbt parse...");
  // Full parse: a partial one can miss YAML-declared settings of models restored since the last parse.
  const parsed = await warehouse.invoke(ctx, ["parse", "--no-partial-parse"]);
  const raw = parsed.exitCode === 0 ? await warehouse.readManifest(target) : null;
  if (!raw) throw new Error(redactSecrets(parsed.failure, input.secrets));
  const manifest = readManifest(raw);
  const node = findModel(manifest, { name: input.model });
  if (!node) throw new UserError(`no model '${input.model}' in the project (is it still paused?)`);
  const mode = backfillMode(node, manifest, input.dbt.dbt.version);

  const batches = backfillBatches(input);
  const stateFile = join(target, `dbt-unskip-backfill-${input.model}.json`);
  if (input.restart) await disk.remove(stateFile);
  const saved = await disk.readText(stateFile).catch(() => null);
  const wanted = { model: input.model, start: input.start, end: input.end, batch: input.batch, mode };
  const state: BackfillState = saved === null ? newBackfillState(wanted) : resumeBackfillState(saved, wanted, stateFile);
  const pending = pendingBatches(batches, state);
  const outcome: BackfillOutcome = {
    result: "nothing-to-do",
    model: input.model,
    mode,
    stateFile,
    batches: batches.map((b) => ({ ...b, status: pending.some((p) => p.start === b.start) ? "pending" : "done-before", seconds: null })),
    invocations: 0,
    error: null,
  };
  if (pending.length === 0) return outcome;
  if (!(await input.confirm({ model: input.model, mode, total: batches.length, pending, stateFile }))) return { ...outcome, result: "cancelled" };

  // "during": dbt was stopped in this batch; "before": the signal came while the batch before it ran
  // and that one finished anyway, so this batch never started.
  const stopped = (batch: { start: string; end: string }, when: "during" | "before"): BackfillOutcome =>
    redactDeep(
      {
        ...outcome,
        result: "interrupted",
        error: `stopped by ${interruptedBy(input.dbt.signal)} ${when === "during" ? `during batch ${batch.start} to ${batch.end}` : `before batch ${batch.start} to ${batch.end} started`}; finished batches stay recorded. Run the same command again to continue from this batch.`,
      },
      input.secrets,
    );
  for (const batch of pending) {
    if (input.dbt.signal?.aborted) return stopped(batch, "before");
    const index = batches.findIndex((b) => b.start === batch.start);
    say(`Backfill batch ${index + 1}/${batches.length}: ${batch.start} to ${batch.end}`);
    const window = mode === "microbatch" ? ["--event-time-start", batch.start, "--event-time-end", batch.end] : ["--vars", JSON.stringify({ [BACKFILL_VARS.start]: batch.start, [BACKFILL_VARS.end]: batch.end })];
    const t0 = now().getTime();
    outcome.invocations++;
    const result = await warehouse.invoke(ctx, ["run", "--select", input.model, ...window], (event) => {
      const line = progressLine(event);
      if (line) say(`  ${line}`);
    });
    const seconds = (now().getTime() - t0) / 1000;
    const status = readRunResults(await warehouse.readRunResults(target)).find((r) => r.uniqueId === node.uniqueId)?.status;
    const entry = outcome.batches[index]!;
    entry.seconds = seconds;
    const attempts = state.failures.filter((f) => f.start === batch.start).length + 1;
    if (result.exitCode === 0 && status === "success") {
      state.completed.push({ ...batch, finishedAt: now().toISOString(), seconds, attempts });
      await saveState(disk, stateFile, state);
      entry.status = "done";
      continue;
    }
    // A batch dbt was stopped in is not a failure of the model: it stays pending, not recorded as failed.
    if (input.dbt.signal?.aborted) return stopped(batch, "during");
    const error = redactSecrets(status && status !== "success" && result.exitCode === 0 ? `dbt run reported ${status}` : result.failure, input.secrets);
    state.failures.push({ ...batch, at: now().toISOString(), error });
    await saveState(disk, stateFile, state);
    entry.status = "failed";
    return redactDeep(
      { ...outcome, result: "failed", error: `batch ${batch.start} to ${batch.end} failed: ${error}\nRun the same command again to continue from this batch; finished batches are not run again.` },
      input.secrets,
    );
  }
  return { ...outcome, result: "completed" };
}

/** Microbatch takes dbt's own event-time window; a plain incremental model must read our vars. */
function backfillMode(node: ManifestNode, manifest: ManifestIndex, dbtVersion: string): BackfillMode {
  if (node.materialized !== "incremental") {
    throw new UserError(`${node.name} is materialized as ${node.materialized ?? "unknown"}; only incremental and microbatch models are backfilled (a table or view is rebuilt whole by \`dbt run\`)`);
  }
  if (node.incrementalStrategy === "microbatch") {
    if (/^1\.8\./.test(dbtVersion)) throw new UserError(`${node.name} is a microbatch model, which needs dbt 1.9 or later (found ${dbtVersion})`);
    return "microbatch";
  }
  const sources = [node.rawCode, ...node.macros.map((m) => manifest.macroSql.get(m) ?? "")];
  if (!sources.some((text) => text.includes(BACKFILL_VARS.start) && text.includes(BACKFILL_VARS.end))) {
    throw new UserError(
      `${node.name} is incremental (${node.incrementalStrategy ?? "default strategy"}) but does not read var('${BACKFILL_VARS.start}') and var('${BACKFILL_VARS.end}'); ` +
        "each batch would just repeat a normal incremental run. Filter on them inside is_incremental() (see docs/plan-run.md), or make it a microbatch model.",
    );
  }
  return "vars";
}

async function saveState(disk: LocalFiles, path: string, state: BackfillState): Promise<void> {
  await disk.replaceText(path, `${JSON.stringify(state, null, 2)}\n`);
}
