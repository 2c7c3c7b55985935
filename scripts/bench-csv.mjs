// CSV inference on a generated 1 GB file: rows, wall time and peak RSS (`node scripts/bench-csv.mjs
// [--gb N]`). Bundles test/bench/csvMemory.ts with esbuild into a scratch file, as scripts/build.mjs
// bundles the product, and runs it with this Node.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-bench-csv-"));
const outfile = join(scratch, "csvMemory.mjs");
let code = 1;
try {
  await build({
    entryPoints: [join(root, "test", "bench", "csvMemory.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    banner: { js: "import { createRequire as __unskipCreateRequire } from 'node:module';\nconst require = __unskipCreateRequire(import.meta.url);\n" },
  });
  const child = spawn(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: "inherit" });
  const forward = (signal) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  code = await new Promise((resolve) => child.on("close", (status, signal) => resolve(status ?? (signal ? 1 : 0))));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = code;
