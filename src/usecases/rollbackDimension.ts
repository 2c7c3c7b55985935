import { interruptedBy } from "../core/interrupt/interruptedBy.js";
import { resolve } from "node:path";
import { rollbackStatements } from "../core/plan/rollbackSql.js";
import type { MigrationPlan } from "../core/plan/types.js";
import { redactDeep, redactSecrets } from "../core/warehouseRun/redactSecrets.js";
import type { RollbackOutcome } from "../core/warehouseRun/rollbackOutcome.js";
import { UserError } from "../core/userError.js";
import type { TreeChangePorts } from "./treeChangePorts.js";
import { planDimension } from "./planDimension.js";
import type { DimensionWarehouseInput } from "./warehouseDbt.js";

/** What a rollback needs; the ports (`TreeChangePorts`) are the plan's it starts from; the drops and rollback.sh go through `warehouse`. */
export interface RollbackInput extends TreeChangePorts, DimensionWarehouseInput {
  /** Asked once, after the checks and before anything changes; false cancels. */
  confirm: (summary: { plan: MigrationPlan; statements: { model: string; sql: string }[] }) => Promise<boolean>;
}

/**
 * Undoes the latest restore of a dimension with the plan's own artefacts: rollback.sh checks the
 * files first (a file changed since the restore stops everything), the DROP statements of
 * rollback.sql go through dbt (`run-operation run_query`, any adapter), then rollback.sh re-skips the
 * files and restores the state document. It does not commit: the person reviews and commits.
 */
export async function rollbackDimension(input: RollbackInput): Promise<RollbackOutcome> {
  const say = (line: string) => input.progress(redactSecrets(line, input.secrets));
  const plan = await planDimension({ ...input, basis: "restored", progress: say });
  if (plan.basis.kind !== "restored") throw new UserError(`no restore of ${input.dimension} on this branch to roll back`);
  const outcome: RollbackOutcome = { result: "cancelled", dimension: input.dimension, commit: plan.basis.commit, dropped: [], script: "", error: null };
  const done = (result: RollbackOutcome["result"], error: string | null = null) => redactDeep({ ...outcome, result, error }, input.secrets);

  const warehouse = input.warehouse;
  return warehouse.withScript("rollback.sh", plan.rollback.script, async (script) => {
    // The script finds the git top level from the root itself, as when a person runs it there.
    const check = await warehouse.runScript({ script, args: ["--check"], cwd: input.root });
    outcome.script = check.output;
    if (check.exitCode !== 0) return done("refused", check.output.trim());

    const statements = rollbackStatements(plan.models);
    if (!(await input.confirm({ plan, statements }))) return done("cancelled");

    const ctx = { ...input.dbt, projectDir: resolve(input.root, plan.project.dir || ".") };
    const stopped = () => {
      const dropped = outcome.dropped.filter((d) => d.ok).length;
      return done(
        "interrupted",
        `stopped by ${interruptedBy(input.dbt.signal)} after ${dropped} of ${statements.length} relation(s) were dropped; the files were not touched; run the rollback again to finish it (it is safe to repeat)`,
      );
    };
    for (const statement of statements) {
      if (input.dbt.signal?.aborted) return stopped();
      say(`dbt run-operation run_query: ${statement.sql}`);
      const result = await warehouse.runSql(ctx, statement.sql);
      // A drop dbt was stopped in may or may not have happened: it is not counted as done.
      if (!result.ok && input.dbt.signal?.aborted) return stopped();
      outcome.dropped.push({ ...statement, ok: result.ok, error: result.ok ? null : result.error });
      if (!result.ok) return done("failed", `${result.error}\nThe files were not touched; fix the connection and run the rollback again (it is safe to repeat).`);
    }
    if (input.dbt.signal?.aborted) return stopped();
    // rollback.sh runs in its own process group: a Ctrl-C from here on cannot cut it short.
    const applied = await warehouse.runScript({ script, args: [], cwd: input.root });
    outcome.script = applied.output;
    if (applied.exitCode !== 0) return done("failed", `rollback.sh failed (exit ${applied.exitCode}):\n${applied.output.trim()}`);
    return done("rolled-back");
  });
}
