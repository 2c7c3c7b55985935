import type { GenerateContext } from "./generateContext.js";
import { shellQuote } from "../render/shellQuote.js";

/** The commands to run after generate, and the ones that undo it, as a user would type them. */
export function generateCommands(ctx: GenerateContext, readyDimensions: readonly string[]): { next: string[]; undo: string[] } {
  const q = shellQuote;
  const viaDbt = (file: string) => `dbt show --inline "$(cat ${q(file)})" --limit -1`;
  const client = (file: string) => (ctx.dialect === "postgres" ? `psql -f ${q(file)}` : ctx.dialect === "snowflake" ? `snowsql -f ${q(file)}` : viaDbt(file));
  const cd = `cd ${q(ctx.projectDir)}`;
  const restore = readyDimensions.map((d) => `dbt-unskip restore --dimension ${d}`);
  if (ctx.mode === "seed") {
    return {
      next: [cd, `dbt seed --select ${ctx.name}`, `dbt test --select ${ctx.name}`, viaDbt(ctx.paths.validate), ...restore],
      undo: [cd, viaDbt(ctx.paths.rollbackSql), `sh ${q(ctx.paths.rollbackScript)}`],
    };
  }
  return {
    next: [cd, client(ctx.paths.load!), `dbt test --select "source:${ctx.sourceName}.${ctx.name}"`, client(ctx.paths.validate), ...restore],
    undo: [cd, client(ctx.paths.rollbackSql), `sh ${q(ctx.paths.rollbackScript)}`],
  };
}
