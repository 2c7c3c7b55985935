import { join } from "node:path";
import { dbtErrorText } from "../../core/dbt/dbtErrorCulprits.js";
import type { DbtEvent } from "../../core/dbt/dbtEvent.js";
import type { DbtContext, DbtRunResult } from "../../usecases/dbtRun.js";
import { pathExists } from "../files/pathExists.js";
import { spawnDbt } from "./spawnDbt.js";

/** Everything a dbt command against one project needs (defined beside the ports that take it, usecases/dbtRun.ts). */
export type { DbtContext };

export function invokeDbt(ctx: DbtContext, args: string[], onEvent?: (event: DbtEvent) => void): Promise<DbtRunResult> {
  const run = () =>
    spawnDbt({
      command: ctx.dbt.command,
      args,
      projectDir: ctx.projectDir,
      profilesDir: ctx.profilesDir,
      target: ctx.target,
      timeoutMs: ctx.timeoutMs,
      forkServer: ctx.dbt.forkServer,
      ...(ctx.extraEnv ? { extraEnv: ctx.extraEnv } : {}),
      ...(ctx.setEnv ? { setEnv: ctx.setEnv } : {}),
      ...(onEvent ? { onEvent } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  return ctx.around ? ctx.around(run) : run();
}

/** Why a dbt command failed, in one readable message (error events first, else its last output). */
export function failureText(result: DbtRunResult, what: string): string {
  if (result.timedOut) return `${what} timed out`;
  if (result.killedBy) return `${what} was killed (${result.killedBy})`;
  const message = dbtErrorText(result.events);
  if (message) return `${what} failed: ${message}`;
  const tail = result.otherOutput.trim().split("\n").slice(-5).join("\n");
  return `${what} failed (exit ${result.exitCode ?? "none"})${tail ? `:\n${tail}` : ""}`;
}

/**
 * The profiles folder dbt is given: an explicit one, else the project's own when it holds
 * profiles.yml, as found where dbt runs (`runDir`: the project, or a scratch copy of it).
 */
export async function defaultProfilesDir(projectDir: string, explicit: string | undefined, runDir = projectDir): Promise<string | undefined> {
  if (explicit) return explicit;
  return (await pathExists(join(projectDir, "profiles.yml"))) ? runDir : undefined;
}
