import { codeSpan } from "../render/codeSpan.js";
import { truncateBody } from "../render/truncateBody.js";
import { renderPlanMarkdown } from "./renderPlanMarkdown.js";
import type { MigrationPlan } from "./types.js";

/** Below this many characters there is no room for a useful plan: a pointer to the command instead. */
const MINIMUM_ROOM = 1_000;

/**
 * The migration plan as a restore pull request shows it, within `room` characters (what GitHub's body
 * limit leaves after the rest of the body): the risk verdict first, then what the body does not say
 * already (requires, unblocks, validation; impact and SQL collapsed; rollback.sh left to the
 * command, since it embeds the whole state document). Cut at a line when still too long; whatever
 * is left out, the body says which command prints it in full.
 */
export function renderPlanForPullRequest(plan: MigrationPlan, options: { room: number }): string {
  const command = codeSpan(`dbt-unskip plan --dimension ${plan.dimension} --restored --out DIR`);
  const full = `<!-- dbt-unskip:plan -->\n${renderPlanMarkdown(plan, { headingLevel: 2, pullRequest: true })}\nThe whole plan (plan.md, rollback.sh, rollback.sql, validation.sql): on this branch, ${command}.\n`;
  if (full.length <= options.room) return full;
  if (options.room < MINIMUM_ROOM) {
    return `## Risk\n\nThe plan does not fit in this pull request's body; on its branch, ${command} writes it (plan.md, rollback.sh, rollback.sql, validation.sql).\n`;
  }
  return truncateBody(full, { limit: options.room, note: `The rest of the plan was cut to fit GitHub's size limit; on this branch, ${command} writes all of it.` });
}
