// Bundles the entry points into dist/ (committed: the Action runs dist/index.js with no
// node_modules, and dist/cli.js is the package's bin). `--check` builds into a scratch folder and
// fails when it differs from the committed dist/, so what ships is always what the sources say.
// First it generates the schema validators (scripts/schemaValidators.mjs: the configuration's and the
// saved PR report's) beside their schemas; `--check` also fails when the committed ones differ from
// a fresh generation.
import { build } from "esbuild";
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync, chmodSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { generateAllValidators, staleGenerated } from "./schemaValidators.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
const outdir = check ? mkdtempSync(join(tmpdir(), "dbt-unskip-dist-")) : join(root, "dist");

// The version `--version` prints: package.json's, fixed into the bundle at build time.
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const entries = [
  { in: "src/cli/main.ts", out: "cli.js", shebang: true },
  { in: "src/action/main.ts", out: "index.js", shebang: false },
  { in: "src/bot/main.ts", out: "bot.js", shebang: false },
  // Started by the three above for projects with much properties YAML (src/adapters/threads/propertiesThread.ts).
  { in: "src/adapters/threads/propertiesWorker.ts", out: "propertiesWorker.js", shebang: false },
];

// Bundled CommonJS dependencies call require(); give the ESM bundle one.
const requireShim = "import { createRequire as __unskipCreateRequire } from 'node:module';\n" + "const require = __unskipCreateRequire(import.meta.url);\n";

const validators = await generateAllValidators(root);
const staleSources = staleGenerated(root, validators);
if (!check) {
  for (const [path, text] of Object.entries(validators)) writeFileSync(join(root, path), text);
} else if (staleSources.length > 0) {
  console.error(`${staleSources.join(", ")} out of date with its schema: run \`npm run build\` and commit it.`);
  process.exit(1);
}

if (!check) rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
for (const entry of entries) {
  const outfile = join(outdir, entry.out);
  await build({
    entryPoints: [join(root, entry.in)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    legalComments: "none",
    logLevel: "warning",
    banner: { js: (entry.shebang ? "#!/usr/bin/env node\n" : "") + requireShim },
    define: { __UNSKIP_VERSION__: JSON.stringify(version) },
  });
  if (entry.shebang) chmodSync(outfile, 0o755);
}
// The dbt fork server (src/adapters/dbt/forkServer.ts finds it beside the bundle, as in src/).
copyFileSync(join(root, "src/adapters/dbt/dbtForkServer.py"), join(outdir, "dbtForkServer.py"));
writeFileSync(join(outdir, "package.json"), `${JSON.stringify({ type: "module" }, null, 2)}\n`);

if (check) {
  const committed = join(root, "dist");
  const names = new Set([...safeList(outdir), ...safeList(committed)]);
  const differ = [...names].filter((n) => safeRead(join(outdir, n)) !== safeRead(join(committed, n)));
  rmSync(outdir, { recursive: true, force: true });
  if (differ.length > 0) {
    console.error(`dist/ is out of date (${differ.join(", ")}): run \`npm run build\` and commit dist/.`);
    process.exit(1);
  }
  console.error("dist/ matches a fresh build.");
}

function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
function safeRead(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
