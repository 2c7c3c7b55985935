import { codeSpan } from "../render/codeSpan.js";
import { truncateBody } from "../render/truncateBody.js";
import { renderPlanMarkdown } from "./renderPlanMarkdown.js";
import type { MigrationPlan } from "./types.js";

/** Below this many characters there is no room for a useful plan: a pointer to the command instead. */
const MINIMUM_ROOM = 1_000;

/**
 * The migration plan as a restore pull request shows it, within `room` characters (what GitHub's body
 * limit leaves after the rest of the body): the SQL and rollback.sh collapsed; when that is too long,
 * without rollback.sh (it embeds the state document), then cut at a line with its blocks and fences
 * closed. Whatever is left out, the body says which command prints it in full.
 */
export function renderPlanForPullRequest(plan: MigrationPlan, options: { room: number }): string {
  const full = `<!-- dbt-unskip:plan -->\n${renderPlanMarkdown(plan, { headingLevel: 2, includeScript: true, collapseSql: true })}`;
  if (full.length <= options.room) return full;
  const command = codeSpan(`dbt-unskip plan --dimension ${plan.dimension} --restored --out DIR`);
  if (options.room < MINIMUM_ROOM) {
    return `## Migration Plan: ${codeSpan(plan.dimension)}\n\nThe plan does not fit in this pull request's body; on its branch, ${command} writes it (plan.md, rollback.sh, rollback.sql, validation.sql).\n`;
  }
  const note = `> rollback.sh is left out to fit GitHub's size limit; on this branch, ${command} writes it with the rest of the plan.\n`;
  const lean = `<!-- dbt-unskip:plan -->\n${renderPlanMarkdown(plan, { headingLevel: 2, includeScript: false, collapseSql: true })}\n${note}`;
  if (lean.length <= options.room) return lean;
  return truncateBody(lean, { limit: options.room, note: `The rest of the plan was cut to fit GitHub's size limit; on this branch, ${command} writes all of it.` });
}
