import { join } from "node:path";
import { dbtErrorCulprits, dbtErrorText } from "../core/dbt/dbtErrorCulprits.js";
import { readManifest, type ManifestIndex } from "../core/plan/manifestIndex.js";
import { isolateCulprits, type ParseOutcome } from "../core/restore/isolateCulprits.js";
import type { BatchModel } from "../core/restore/restoreBatch.js";
import { defaultProfilesDir, failureText, invokeDbt, type DbtContext } from "../adapters/dbt/dbtContext.js";
import { readManifestArtifact } from "../adapters/dbt/dbtArtifacts.js";
import type { DbtRunResult } from "../adapters/dbt/spawnDbt.js";
import { ScratchProject } from "../adapters/dbt/scratchProject.js";

export type ScratchContext = Omit<DbtContext, "projectDir">;

/**
 * dbt's manifest for the project with a ready batch restored, proven as restore proves it (parse,
 * culprits re-skipped), in a scratch copy: planning never touches the user's tree or warehouse
 * (`dbt parse` opens no connection).
 */
export async function manifestWithReadyBatch(input: { ctx: ScratchContext; projectRoot: string; batch: readonly BatchModel[]; progress: (line: string) => void }) {
  return inScratch(input.ctx, input.projectRoot, async (scratch, parse) => {
    let lastManifest: ManifestIndex | null = null;
    const isolation = await isolateCulprits(input.batch, async (subset): Promise<ParseOutcome> => {
      await scratch.setRestored(subset, input.batch);
      input.progress(`dbt parse with ${subset.length} restored model${subset.length === 1 ? "" : "s"} (scratch copy)...`);
      const result = await parse();
      if (result.outcome.ok) lastManifest = result.manifest;
      return result.outcome;
    });
    if (!isolation.ok) throw new Error(isolation.error);
    if (!lastManifest) throw new Error("dbt parse wrote no readable manifest.json");
    return {
      manifest: lastManifest as ManifestIndex,
      restored: isolation.restored,
      reSkipped: isolation.reSkipped.map((r) => ({ name: r.model.name, reason: r.reason })),
    };
  });
}

/**
 * dbt's manifest with these files under their real names, whether the tree has them restored now
 * or paused again (a rollback that already ran), so the relations to drop are always known.
 */
export async function manifestWithRestoredFiles(input: { ctx: ScratchContext; projectRoot: string; files: readonly { skipFile: string; realFile: string }[]; progress: (line: string) => void }) {
  return inScratch(input.ctx, input.projectRoot, async (scratch, parse) => {
    await scratch.useRealNames(input.files);
    input.progress(`dbt parse with the ${input.files.length} restored model${input.files.length === 1 ? "" : "s"} (scratch copy)...`);
    const result = await parse();
    if (!result.outcome.ok) throw new Error("fatal" in result.outcome ? result.outcome.fatal : `dbt parse failed: ${result.outcome.message}`);
    if (!result.manifest) throw new Error("dbt parse wrote no readable manifest.json");
    return result.manifest;
  });
}

type ScratchParse = () => Promise<{ outcome: ParseOutcome; manifest: ManifestIndex | null }>;

async function inScratch<T>(base: ScratchContext, projectRoot: string, work: (scratch: ScratchProject, parse: ScratchParse) => Promise<T>): Promise<T> {
  const scratch = await ScratchProject.create(projectRoot);
  try {
    const profilesDir = base.profilesDir ?? ((await defaultProfilesDir(projectRoot, undefined)) ? scratch.dir : undefined);
    const ctx: DbtContext = { ...base, projectDir: scratch.dir, profilesDir };
    // An absolute DBT_TARGET_PATH would send the scratch manifest into the user's own target folder.
    const targetPath = join(scratch.root, "target");
    const parse: ScratchParse = async () => {
      const result = await invokeDbt(ctx, ["parse", "--no-partial-parse", "--target-path", targetPath]);
      const outcome = parseOutcome(result);
      const raw = outcome.ok ? await readManifestArtifact(targetPath) : null;
      return { outcome, manifest: raw ? readManifest(raw) : null };
    };
    return await work(scratch, parse);
  } finally {
    await scratch.dispose();
  }
}

function parseOutcome(result: DbtRunResult): ParseOutcome {
  if (result.exitCode === 0) return { ok: true };
  const message = dbtErrorText(result.events);
  if (result.timedOut || result.killedBy || !message) return { ok: false, fatal: failureText(result, "dbt parse") };
  return { ok: false, culprits: dbtErrorCulprits(message), message };
}
