import { join } from "node:path";
import { dbtErrorHeadline } from "../../core/dbt/dbtErrorHeadline.js";
import type { ScratchCopies, ScratchDbt, ScratchDbtInput, ScratchPlace } from "../../usecases/scratchDbt.js";
import { clearManifestArtifact, readManifestArtifact } from "./dbtArtifacts.js";
import { defaultProfilesDir, invokeDbt, type DbtContext } from "./dbtContext.js";
import { ScratchProject } from "./scratchProject.js";

/** The real scratch copies behind the `ScratchCopies` port: a `ScratchProject` on disk, dbt spawned in it. */
export const scratchCopies: ScratchCopies = (at, input, work) =>
  inScratchCopy(at, input, (scratch, dbt, targetPath) =>
    work(
      {
        setRestored: (models, all) => scratch.setRestored(models, all),
        setPaused: (models, all) => scratch.setPaused(models, all),
        useRealNames: (files) => scratch.useRealNames(files),
        readManifest: () => readManifestArtifact(targetPath),
        clearManifest: () => clearManifestArtifact(targetPath),
      },
      dbt,
    ),
  );

/**
 * "Prove in a scratch copy": `work` gets a throwaway copy of the dbt project and a dbt that runs in
 * it, so dbt never touches the user's tree (a crash, a timeout or a kill leaves it as it was). The
 * copy is removed afterwards, whatever happened. The project's own `profiles.yml` is used when it
 * has one and no `--profiles-dir` was given; dbt's target and log folders, and its partial parsing
 * state, are the copy's. Restore,
 * pause and plan all run dbt through here.
 */
export async function inScratchCopy<T>(at: ScratchPlace, input: ScratchDbtInput, work: (scratch: ScratchProject, dbt: ScratchDbt, targetPath: string) => Promise<T>): Promise<T> {
  const { projectRoot } = at;
  const scratch = await ScratchProject.create(projectRoot, at.root);
  try {
    const ctx: DbtContext = {
      ...input,
      projectDir: scratch.dir,
      profilesDir: await defaultProfilesDir(projectRoot, input.profilesDir, scratch.dir),
      // With DBT_PARTIAL_PARSE_FILE_PATH set, a partial parse reads the user's partial_parse.msgpack,
      // not the one the copy's last parse wrote (tried with dbt 1.11: "1 files added" instead of none),
      // so the compile after a green parse would not read that parse's state. Empty is unset to dbt.
      setEnv: { ...input.setEnv, DBT_PARTIAL_PARSE_FILE_PATH: "", DBT_ENGINE_PARTIAL_PARSE_FILE_PATH: "" },
    };
    // Every run writes into the scratch copy's own target folder: an absolute DBT_TARGET_PATH (or
    // target-path) would otherwise send manifest.json and partial_parse.msgpack into the user's. It is
    // dbt's default place in the copy, where a profile's relative `path: target/x.duckdb` expects it.
    const targetPath = join(scratch.dir, "target");
    // Likewise dbt.log: an absolute DBT_LOG_PATH (or log-path in dbt_project.yml) would append every
    // scratch run's log to the user's own. The flag wins over both; `logs` is dbt's default in the copy.
    const logPath = join(scratch.dir, "logs");
    const dbt: ScratchDbt = (args) =>
      invokeDbt(ctx, [...args, "--target-path", targetPath, "--log-path", logPath], (event) => {
        if (event.name === "MainEncounteredError" || event.level === "error") input.progress(`  dbt: ${dbtErrorHeadline(event.msg)}`);
      });
    return await work(scratch, dbt, targetPath);
  } finally {
    await scratch.dispose();
  }
}
