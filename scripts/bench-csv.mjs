// CSV inference on a generated 1 GB file: rows, wall time and peak RSS (`node scripts/bench-csv.mjs
// [--gb N]`). Bundles test/bench/csvMemory.ts with esbuild into a scratch file, as scripts/build.mjs
// bundles the product, and runs it with this Node (scripts/runTsScript.mjs).
import { runTsScript } from "./runTsScript.mjs";

process.exitCode = await runTsScript("test/bench/csvMemory.ts", process.argv.slice(2));
