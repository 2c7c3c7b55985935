import { neutraliseControlCharacters } from "../render/controlCharacters.js";
import { physicalName, quoteIdentifier } from "./dialect.js";
import type { GenerateContext } from "./generateContext.js";
import { relationExpression } from "./renderValidationSql.js";
import { shellQuote } from "../render/shellQuote.js";

/**
 * The warehouse half of the rollback: drop the one table the load (or `dbt seed`) created. Nothing
 * else: the schema may hold other tables, and DROP ... IF EXISTS makes a second run harmless.
 */
export function renderRollbackSql(ctx: GenerateContext): string {
  const lines = [`-- Rollback of dbt-unskip generate (${ctx.today}): drops what loading ${neutraliseControlCharacters(ctx.csv.fileName, "mask")} created.`];
  if (ctx.mode === "seed") {
    lines.push(
      `-- Run it BEFORE ${neutraliseControlCharacters(ctx.display(ctx.paths.rollbackScript), "mask")}: ref('${ctx.name}') needs the seed's files.`,
      '-- From the dbt project folder: dbt show --inline "$(cat rollback.sql)" --limit -1',
      `drop table if exists ${relationExpression(ctx)}`,
    );
  } else {
    const schema = quoteIdentifier(physicalName(ctx.dialect, ctx.schema));
    lines.push(
      `-- Then run ${neutraliseControlCharacters(ctx.display(ctx.paths.rollbackScript), "mask")} to remove the files.`,
      `drop table if exists ${relationExpression(ctx)};`,
      `-- The schema ${neutraliseControlCharacters(schema, "mask")} stays: other tables may live there. If the load created it and it is empty now:`,
      `-- drop schema ${neutraliseControlCharacters(schema, "mask")};`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The file half: a POSIX sh script that removes exactly the files generate added (itself
 * included) and then the folders it created, if they are empty. Every path is single-quoted, so
 * any file name is one word; `rm -f` and `rmdir ... || true` make it safe to run twice.
 */
export function renderRollbackScript(ctx: GenerateContext, files: readonly string[]): string {
  const lines = [
    "#!/bin/sh",
    // Names are single-quoted precisely so that `$(...)`, backticks and `$VAR` in them stay text.
    // SC1003: a name holding `\'` is quoted as `'\'\''...'`, which is right (a backslash is literal
    // inside single quotes) but looks to shellcheck like a failed escape.
    "# shellcheck disable=SC2016,SC1003",
    `# Rollback of dbt-unskip generate (${ctx.today}) for ${ctx.mode} ${ctx.mode === "seed" ? ctx.name : `${ctx.sourceName}.${ctx.name}`}.`,
    `# First drop the loaded table with ${neutraliseControlCharacters(ctx.display(ctx.paths.rollbackSql), "mask")}, then run this script:`,
    "# it removes every file generate added, then the folders it created when they are empty.",
    "set -eu",
    ...files.map((file) => `rm -f -- ${shellQuote(file)}`),
    ...[...ctx.createdDirs].sort((a, b) => b.length - a.length).map((dir) => `rmdir -- ${shellQuote(dir)} 2>/dev/null || true`),
    `echo ${shellQuote(`dbt-unskip generate of ${ctx.name} rolled back: files removed.`)}`,
    "",
  ];
  return lines.join("\n");
}
