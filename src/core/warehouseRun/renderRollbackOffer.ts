import { codeSpan } from "../render/codeSpan.js";

/**
 * How to roll back a failed run from a workflow, for the job summary: the commands for a person to
 * run on a checkout, with the plan in view. A workflow never rolls back by itself.
 */
export function renderRollbackOffer(input: { dimension: string; commit: string }): string {
  return [
    "## How to roll back",
    "",
    `Nothing was rolled back. On a checkout of ${codeSpan(input.commit.slice(0, 12))} with dbt and your profile, a person can:`,
    "",
    `1. review what a rollback would do: ${codeSpan(`dbt-unskip plan --dimension ${input.dimension} --restored --out rollback-plan`)} writes ${codeSpan("rollback.sql")} and ${codeSpan("rollback.sh")};`,
    `2. roll back: ${codeSpan(`dbt-unskip rollback --dimension ${input.dimension}`)} (it checks the tree, shows the plan and asks before dropping anything), then commit the re-skipped files in a pull request.`,
    "",
  ].join("\n");
}
