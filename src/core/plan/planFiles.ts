import { renderPlanMarkdown } from "./renderPlanMarkdown.js";
import type { MigrationPlan } from "./types.js";

/** What `plan --out DIR` writes: name → content (rollback.sh is made executable by the writer). */
export function planFiles(plan: MigrationPlan): Record<"plan.md" | "plan.json" | "rollback.sh" | "rollback.sql" | "validation.sql", string> {
  return {
    "plan.md": renderPlanMarkdown(plan),
    "plan.json": `${JSON.stringify(plan, null, 2)}\n`,
    "rollback.sh": plan.rollback.script,
    "rollback.sql": plan.rollback.sql,
    "validation.sql": plan.validation.sql,
  };
}
