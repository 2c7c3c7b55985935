import { readManifest, type ManifestIndex } from "../core/plan/manifestIndex.js";
import { isolateCulprits, type ParseOutcome } from "../core/restore/isolateCulprits.js";
import type { BatchModel } from "../core/restore/restoreBatch.js";
import { toOutcome, type ScratchContext, type ScratchCopies, type ScratchCopy, type ScratchPlace } from "./scratchDbt.js";

/**
 * dbt's manifest for the project with a ready batch restored, proven as restore proves it (parse,
 * culprits re-skipped), in a scratch copy: planning never touches the user's tree or warehouse
 * (`dbt parse` opens no connection).
 */
export async function manifestWithReadyBatch(input: ScratchPlace & { scratch: ScratchCopies; ctx: ScratchContext; batch: readonly BatchModel[]; progress: (line: string) => void }) {
  return inScratchManifest(input, async (scratch, parse) => {
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
export async function manifestWithRestoredFiles(input: ScratchPlace & { scratch: ScratchCopies; ctx: ScratchContext; files: readonly { skipFile: string; realFile: string }[]; progress: (line: string) => void }) {
  return inScratchManifest(input, async (scratch, parse) => {
    await scratch.useRealNames(input.files);
    input.progress(`dbt parse with the ${input.files.length} restored model${input.files.length === 1 ? "" : "s"} (scratch copy)...`);
    const result = await parse();
    if (!result.outcome.ok) throw new Error("fatal" in result.outcome ? result.outcome.fatal : `dbt parse failed: ${result.outcome.message}`);
    if (!result.manifest) throw new Error("dbt parse wrote no readable manifest.json");
    return result.manifest;
  });
}

type ScratchParse = () => Promise<{ outcome: ParseOutcome; manifest: ManifestIndex | null }>;

/** `work` in a scratch copy (its own target folder, the project's profiles), with a `dbt parse` that reads the manifest it wrote. */
function inScratchManifest<T>(input: ScratchPlace & { scratch: ScratchCopies; ctx: ScratchContext; progress: (line: string) => void }, work: (scratch: ScratchCopy, parse: ScratchParse) => Promise<T>): Promise<T> {
  return input.scratch(input, { ...input.ctx, progress: input.progress }, (scratch, dbt) => {
    const parse: ScratchParse = async () => {
      // A manifest left by an earlier parse is never taken for this one's.
      await scratch.clearManifest();
      const outcome = toOutcome(await dbt(["parse", "--no-partial-parse"]), "parse", input.ctx.timeoutMs);
      const raw = outcome.ok ? await scratch.readManifest() : null;
      return { outcome, manifest: raw ? readManifest(raw) : null };
    };
    return work(scratch, parse);
  });
}
