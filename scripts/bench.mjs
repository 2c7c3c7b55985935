// `npm run bench`: compiles the TypeScript benchmark runner (test/bench/runBench.ts) into a scratch
// file with esbuild, as scripts/build.mjs bundles the product, and runs it with this Node
// (scripts/runTsScript.mjs). Arguments are passed on (see the runner's header for them); the runner
// writes BENCHMARKS.md.
import { REPO_ROOT, runTsScript } from "./runTsScript.mjs";

process.exitCode = await runTsScript("test/bench/runBench.ts", ["--repo-root", REPO_ROOT, ...process.argv.slice(2)]);
