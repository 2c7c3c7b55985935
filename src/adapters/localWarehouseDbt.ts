import { join } from "node:path";
import type { WarehouseDbt } from "../usecases/warehouseDbt.js";
import { runShellScript, withTemporaryScript } from "./process/runShellScript.js";
import { readJsonArtifact, readManifestArtifact, targetDir } from "./dbt/dbtArtifacts.js";
import { failureText, invokeDbt } from "./dbt/dbtContext.js";
import { showQuery } from "./dbt/dbtShow.js";
import { probeRelations } from "./dbt/probeRelations.js";
import { runSqlThroughDbt } from "./dbt/runSqlThroughDbt.js";

/** The real `WarehouseDbt`: dbt spawned in the user's project, its artifacts read from disk, rollback.sh run by /bin/sh. */
export const localWarehouseDbt: WarehouseDbt = {
  async invoke(ctx, args, onEvent) {
    const result = await invokeDbt(ctx, args, onEvent);
    return { exitCode: result.exitCode, failure: failureText(result, `dbt ${args[0] ?? ""}`) };
  },
  targetDir: (projectDir) => targetDir(projectDir),
  readManifest: readManifestArtifact,
  readRunResults: (target) => readJsonArtifact(join(target, "run_results.json")),
  showQuery,
  probeRelations,
  runSql: runSqlThroughDbt,
  withScript: withTemporaryScript,
  runScript: runShellScript,
};
