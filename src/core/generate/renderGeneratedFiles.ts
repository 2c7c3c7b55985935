import type { FileRole } from "./generateOutcome.js";
import type { GenerateContext } from "./generateContext.js";
import { renderLoadSql } from "./renderLoadSql.js";
import { renderPassThroughModel } from "./renderPassThroughModel.js";
import { renderProperties } from "./renderProperties.js";
import { renderRollbackScript, renderRollbackSql } from "./renderRollback.js";
import { renderValidationSql } from "./renderValidationSql.js";

export type GeneratedFile = { path: string; role: FileRole } & ({ content: string; mode?: number } | { copyFrom: string });

/**
 * Every file generate writes, in the order they are placed: the project files first, then the
 * scripts. The summary's content comes last (it describes all the others), so it is a callback.
 */
export function renderGeneratedFiles(ctx: GenerateContext, summary: (files: { path: string; role: FileRole }[]) => string): GeneratedFile[] {
  const p = ctx.paths;
  const files: GeneratedFile[] = [];
  if (p.seedCsv) files.push({ path: p.seedCsv, role: "seed-csv", copyFrom: ctx.csv.path });
  files.push({ path: p.properties, role: "properties", content: renderProperties(ctx) });
  if (p.model && ctx.model) files.push({ path: p.model, role: "model", content: renderPassThroughModel(ctx, ctx.model) });
  if (p.load) files.push({ path: p.load, role: "load", content: renderLoadSql(ctx) });
  files.push({ path: p.validate, role: "validate", content: renderValidationSql(ctx) });
  files.push({ path: p.rollbackSql, role: "rollback-sql", content: renderRollbackSql(ctx) });
  const all = [...files.map((f) => f.path), p.rollbackScript, p.summary];
  files.push({ path: p.rollbackScript, role: "rollback-script", content: renderRollbackScript(ctx, all), mode: 0o755 });
  const listed = [...files.map(({ path, role }) => ({ path, role })), { path: p.summary, role: "summary" as const }];
  files.push({ path: p.summary, role: "summary", content: summary(listed) });
  return files;
}
