// `npm run bench`: compiles the TypeScript benchmark runner (test/bench/runBench.ts) into a scratch
// file with esbuild, as scripts/build.mjs bundles the product, and runs it with this Node. Arguments
// are passed on (see the runner's header for them); the runner writes BENCHMARKS.md.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-bench-runner-"));
const outfile = join(scratch, "runBench.mjs");
let code = 1;
try {
  await build({
    entryPoints: [join(root, "test", "bench", "runBench.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
  const child = spawn(process.execPath, [outfile, "--repo-root", root, ...process.argv.slice(2)], { stdio: "inherit" });
  const forward = (signal) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  code = await new Promise((resolve) => child.on("close", (status, signal) => resolve(status ?? (signal ? 1 : 0))));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = code;
