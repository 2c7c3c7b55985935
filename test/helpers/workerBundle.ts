import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { REPO_ROOT } from "./scratchExample.js";

/**
 * Bundles `contents` (a worker's TypeScript, importing `./src/...` and `./test/...` from the
 * repository root) into one ES module a `Worker` can start; `cleanup` removes it. Tests that must
 * stop code that may never return (a backtracking pattern, a runaway loop) run it in such a worker.
 */
export async function buildWorkerBundle(contents: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "dbt-unskip-worker-"));
  const path = join(dir, "worker.mjs");
  await build({
    stdin: { contents, resolveDir: REPO_ROOT, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: path,
    // The code reads YAML with the yaml package, bundled from CommonJS: give it a `require`, as the
    // product's bundles do.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: "silent",
  });
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
