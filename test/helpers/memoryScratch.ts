import type { ScratchCopies, ScratchFile } from "../../src/usecases/scratchDbt.js";

/** What dbt says of a scratch copy in a test: nothing (green), or an error naming one of its model files. */
export type MemoryDbtVerdict = (realNamed: ReadonlySet<string>) => { file: string; name: string } | null;

/**
 * A `ScratchCopies` stand-in: no copy, no dbt. It keeps which model files the copy would have under
 * their real names (project-relative), and its dbt answers with `verdict` on them: green, or a
 * compilation error in one model, as dbt words it. Every run is recorded with the files it saw. Its
 * manifest (none by default) lists the model files `manifest` says dbt read, for project `shop`.
 */
/** Which of the copy's real model files dbt read, for the manifest it writes; null: it writes none. */
export type MemoryManifest = (realNamed: ReadonlySet<string>) => string[] | null;

export function memoryScratch(verdict: MemoryDbtVerdict = () => null, manifest: MemoryManifest = () => null) {
  const runs: { args: string[]; realNamed: string[] }[] = [];
  const scratch: ScratchCopies = async (_at, _input, work) => {
    const realNamed = new Set<string>();
    const place = (real: readonly ScratchFile[], all: readonly ScratchFile[]) => {
      for (const file of all) realNamed.delete(file.realFile);
      for (const file of real) realNamed.add(file.realFile);
    };
    return work(
      {
        setRestored: async (models, all) => place(models, all),
        setPaused: async (models, all) =>
          place(
            all.filter((f) => !models.includes(f)),
            all,
          ),
        useRealNames: async (files) => place(files, []),
        readManifest: async () => {
          const read = manifest(realNamed);
          if (read === null) return null;
          const nodes = Object.fromEntries(read.map((file) => [`model.shop.${file}`, { unique_id: `model.shop.${file}`, resource_type: "model", package_name: "shop", original_file_path: file }]));
          return { metadata: { project_name: "shop" }, nodes, disabled: {} };
        },
        clearManifest: async () => {},
      },
      async (args) => {
        runs.push({ args, realNamed: [...realNamed].sort() });
        const error = verdict(realNamed);
        const events = error ? [{ name: "MainEncounteredError", level: "error", msg: "", data: { exc: `Compilation Error in model ${error.name} (${error.file})\n  broken` } }] : [];
        return { exitCode: error ? 2 : 0, killedBy: null, timedOut: false, events, otherOutput: "", invocation: ["dbt", ...args] };
      },
    );
  };
  return Object.assign(scratch, { runs });
}
