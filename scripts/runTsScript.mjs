// Compiles one TypeScript entry point (and everything it imports) into a scratch file with esbuild,
// as scripts/build.mjs bundles the product, runs it with this Node, and removes the scratch file.
// Shared by scripts/bench.mjs and scripts/bench-csv.mjs.
//
// Two things make the bundle behave as if each module ran from its own source file:
// - a `require` for bundled CommonJS dependencies (the same shim as the product's bundles);
// - `import.meta.url` in every module of this repository is its source file's URL, not the scratch
//   bundle's, so helpers that find the repository or resolve packages from their own location
//   (test/helpers/scratchExample.ts, pullRequestPayload.ts) work unchanged.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

const REQUIRE_SHIM = "import { createRequire as __unskipCreateRequire } from 'node:module';\n" + "const require = __unskipCreateRequire(import.meta.url);\n";

/** An esbuild plugin: `import.meta.url` in the repository's own TypeScript is its source file's URL. */
export function sourceImportMetaUrl(root = REPO_ROOT) {
  const inRepo = (path) => path.startsWith(root + sep) && !path.includes(`${sep}node_modules${sep}`);
  return {
    name: "source-import-meta-url",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!inRepo(args.path)) return undefined;
        const text = readFileSync(args.path, "utf8");
        if (!text.includes("import.meta.url")) return undefined;
        return { contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
      });
    },
  };
}

/**
 * Bundles `entry` (relative to the repository) and runs it with `args`; resolves with its exit code.
 * SIGINT and SIGTERM are passed on to it.
 */
export async function runTsScript(entry, args = []) {
  // The scratch bundle sits inside the repository's node_modules so that the packages left external
  // (below) resolve from there.
  const cache = join(REPO_ROOT, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, "dbt-unskip-ts-script-"));
  const outfile = join(scratch, basename(entry).replace(/\.ts$/, ".mjs"));
  try {
    await build({
      entryPoints: [join(REPO_ROOT, entry)],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "warning",
      banner: { js: REQUIRE_SHIM },
      // Packages stay external and load from node_modules: several read their own files next to their
      // sources at load time (jsdom, @octokit/graphql-schema's schema.json), which a bundle cannot
      // find. Bundled, the runner failed at start (jsdom) or half an hour in (graphql-schema).
      packages: "external",
      plugins: [sourceImportMetaUrl()],
    });
    const child = spawn(process.execPath, [outfile, ...args], { stdio: "inherit" });
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    try {
      return await new Promise((resolve) => child.on("close", (status, signal) => resolve(status ?? (signal ? 1 : 0))));
    } finally {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
