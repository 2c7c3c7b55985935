import { dbtErrorHeadline } from "../core/dbt/dbtErrorHeadline.js";
import { dropWithDependents, isolateCulprits, type ParseOutcome, type ReSkipped } from "../core/restore/isolateCulprits.js";
import type { BatchModel } from "../core/restore/restoreBatch.js";
import { modelFilesRead, readManifest, type ManifestIndex } from "../core/plan/manifestIndex.js";
import { dbtSettingsKey, toOutcome, type ScratchCopies, type ScratchDbtInput, type ScratchPlace } from "./scratchDbt.js";

/**
 * The manifest of the proof's last green `dbt parse`, kept only when that parse had exactly the
 * files the proof ends with restored (a compile that re-skipped a model leaves none): the tree a
 * restore commits, as dbt saw it. `realFiles` are project-relative and sorted; `settings` is how dbt
 * ran (`dbtSettingsKey`), so a reader can check it would have run dbt the same way.
 */
export interface ProvenManifest {
  manifest: ManifestIndex;
  realFiles: string[];
  settings: string;
}

export type RestoreProof = { parseRuns: number; compileRuns: number; reSkipped: ReSkipped[]; manifest?: ProvenManifest | null } & ({ ok: true; restored: BatchModel[] } | { ok: false; error: string });

/**
 * Proves a restore batch in a scratch copy: `dbt parse` with culprit isolation (k culprits in k + 1
 * parses, bisection when an error names no model), then `dbt compile --select` the survivors; a
 * compile error takes its model and the batch models that need it back out, by the same step the
 * parse search uses. Nothing here touches the user's tree.
 */
export async function proveRestore(at: ScratchPlace, batch: readonly BatchModel[], input: ScratchDbtInput & { scratch: ScratchCopies; onDbt?: () => void; keepManifest?: boolean }): Promise<RestoreProof> {
  const { progress } = input;
  return input.scratch(at, input, async (scratch, dbt): Promise<RestoreProof> => {
    // The files of the last parse that dbt accepted, while the scratch copy still holds exactly them.
    let parsedAsIs: string | null = null;
    // With keepManifest: the last green parse's manifest, read before anything else runs, and its files.
    let kept: { files: string; manifest: ManifestIndex } | null = null;
    const parse = async (subset: BatchModel[]): Promise<ParseOutcome> => {
      await scratch.setRestored(subset, batch);
      progress(`dbt parse with ${subset.length} restored model${subset.length === 1 ? "" : "s"}...`);
      // A manifest left by an earlier parse is never taken for this one's.
      if (input.keepManifest) await scratch.clearManifest();
      const outcome = toOutcome(await dbt(["parse", "--no-partial-parse"]), "parse", input.timeoutMs);
      parsedAsIs = outcome.ok ? filesOf(subset) : null;
      if (outcome.ok && input.keepManifest) {
        // The copy's target folder is its own: nothing else writes a manifest there.
        const raw = await scratch.readManifest();
        kept = raw ? { files: filesOf(subset), manifest: readManifest(raw) } : null;
      }
      return outcome;
    };
    input.onDbt?.();
    const isolation = await isolateCulprits(batch, parse);
    const reSkipped = [...isolation.reSkipped];
    let compileRuns = 0;
    const proof = (end: { ok: true; restored: BatchModel[] } | { ok: false; error: string }): RestoreProof => ({ parseRuns: isolation.parseRuns, compileRuns, reSkipped, ...end });
    if (!isolation.ok) return proof({ ok: false, error: isolation.error });

    // Compile what survived; a compile error takes its model (and dependents) back out.
    let restored = isolation.restored;
    while (restored.length > 0) {
      await scratch.setRestored(restored, batch);
      progress(`dbt compile --select ${restored.map((m) => m.name).join(" ")}`);
      compileRuns++;
      // Right after dbt accepted a full parse of exactly these files, nothing has changed since: the
      // compile reads the manifest that parse saved (target/partial_parse.msgpack) instead of parsing
      // the whole project again (~2 s of CPU per restore). Any other set is parsed in full.
      const unchanged = parsedAsIs === filesOf(restored);
      parsedAsIs = null;
      const compiled = toOutcome(await dbt(["compile", ...(unchanged ? [] : ["--no-partial-parse"]), "--select", ...restored.map((m) => m.name)]), "compile", input.timeoutMs);
      if (compiled.ok) break;
      if ("fatal" in compiled) return proof({ ok: false, error: compiled.fatal });
      const culprit = compiled.culprits.map((c) => restored.find((m) => m.realFile === c.file)).find(Boolean);
      if (!culprit) return proof({ ok: false, error: `dbt compile failed:\n${compiled.message}` });
      const step = dropWithDependents(restored, culprit, `dbt compile: ${dbtErrorHeadline(compiled.message)}`, (need) => `needs ${need}, which was re-skipped`);
      reSkipped.push(...step.dropped);
      restored = step.kept;
    }
    // A green parse and compile say nothing of a file dbt never read (a name it skips, a .dbtignore
    // pattern): each restored file must be one of the project's models in the manifest the compile
    // wrote, or it goes back to .skip. Without a manifest (DBT_WRITE_JSON=false) there is nothing to
    // check against, and the proof is what it was.
    if (restored.length > 0) {
      const raw = await scratch.readManifest();
      if (raw !== null) {
        const read = modelFilesRead(raw);
        for (const model of restored.filter((m) => !read.has(m.realFile))) {
          if (!restored.includes(model)) continue;
          const step = dropWithDependents(
            restored,
            model,
            `dbt did not read ${model.realFile}: it is not among the models in the manifest dbt wrote (a file name dbt skips, or an ignore rule)`,
            (need) => `needs ${need}, which was re-skipped`,
          );
          reSkipped.push(...step.dropped);
          restored = step.kept;
        }
      }
    }
    const last = kept as { files: string; manifest: ManifestIndex } | null;
    const manifest =
      last && last.files === filesOf(restored)
        ? { manifest: last.manifest, realFiles: restored.map((m) => m.realFile).sort(), settings: dbtSettingsKey({ dbt: input.dbt, profilesDir: input.profilesDir, target: input.target, extraEnv: input.extraEnv }) }
        : null;
    return { ...proof({ ok: true, restored }), ...(input.keepManifest ? { manifest } : {}) };
  });
}

/** The restored files of a subset, as one comparable text. */
const filesOf = (subset: readonly BatchModel[]): string => JSON.stringify(subset.map((m) => m.realFile).sort());
