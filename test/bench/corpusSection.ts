import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { markdownTable, megabytes, ratio, seconds, thousands, type BenchSection, type Series } from "./benchContext.js";
import { repeat } from "./benchSections.js";

// The corpus projects (../shared/corpus: small real public dbt projects) timed as the generated ones:
// `status --json` beside a raw read of the same files and, where the pinned dbt parses it here,
// `dbt parse --no-partial-parse`. Each on a scratch copy (link-packages.sh run, elementary's
// packages.yml removed, as test/helpers/corpus.ts does; that helper is not imported here because it
// pulls in the verify use case and jsdom, which do not bundle into the runner).

/** `../shared/corpus` beside the repository, as test/helpers/corpus.ts finds it. */
const corpusDir = (repoRoot: string) => resolve(repoRoot, "..", "shared", "corpus");

/** As CORPUS_PROJECTS in test/helpers/corpus.ts (keep in step): where each parses from, and whether dbt parses it here. */
const CORPUS_PROJECTS: { name: string; projectDir: string; profile: string; profileByEnv: boolean; parsesHere: false | "yes" | "without-packages-file" }[] = [
  { name: "hubspot", projectDir: ".", profile: "integration_tests", profileByEnv: true, parsesHere: false },
  { name: "salesforce", projectDir: ".", profile: "integration_tests", profileByEnv: true, parsesHere: false },
  { name: "dbt_project_evaluator", projectDir: "integration_tests", profile: "integration_tests", profileByEnv: false, parsesHere: false },
  { name: "elementary", projectDir: ".", profile: "elementary", profileByEnv: false, parsesHere: "without-packages-file" },
];

function makeWritable(path: string): void {
  const info = lstatSync(path);
  if (info.isSymbolicLink()) return;
  chmodSync(path, info.mode | 0o200);
  if (info.isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
}

/** A scratch copy with link-packages.sh run, elementary's packages.yml removed, and a DuckDB profile per profile name. */
function copyCorpus(source: string): { dir: string; profilesDir: (profile: string) => string; cleanup: () => void } {
  if (!existsSync(join(source, "README.md"))) throw new Error(`the corpus is not at ${source}`);
  const base = mkdtempSync(join(tmpdir(), "dbt-unskip-bench-corpus-"));
  const dir = join(base, "corpus");
  cpSync(source, dir, { recursive: true, verbatimSymlinks: true });
  makeWritable(dir);
  execFileSync("bash", [join(dir, "link-packages.sh"), dir], { stdio: "ignore" });
  for (const p of CORPUS_PROJECTS) if (p.parsesHere === "without-packages-file") rmSync(join(dir, p.name, "packages.yml"), { force: true });
  for (const profile of new Set(CORPUS_PROJECTS.map((p) => p.profile))) {
    mkdirSync(join(base, "profiles", profile), { recursive: true });
    writeFileSync(
      join(base, "profiles", profile, "profiles.yml"),
      `${profile}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "{{ env_var('DBT_UNSKIP_DUCKDB_PATH', '${join(base, "corpus.duckdb")}') }}"\n`,
    );
  }
  return { dir, profilesDir: (profile) => join(base, "profiles", profile), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Lists the project tree (installed packages included; links not followed) and reads every dbt source file once. */
const CORPUS_RAW_READ_SCRIPT = `import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
const [root] = process.argv.slice(2);
let files = 0, bytes = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { if (!["target", "logs", ".git", "node_modules"].includes(entry.name)) walk(path); continue; }
    if (entry.isFile() && /\\.(sql|py|ya?ml|jinja|md|csv)(\\.skip)?$/.test(entry.name)) { bytes += readFileSync(path).length; files++; }
  }
};
walk(root);
process.stdout.write(JSON.stringify({ files, bytes }) + "\\n");
`;

export const corpusSection: BenchSection = async (ctx) => {
  const title = `The corpus projects (Node ${ctx.machine.node})`;
  let copy: ReturnType<typeof copyCorpus>;
  try {
    copy = copyCorpus(corpusDir(ctx.options.repoRoot));
  } catch (error) {
    return { title, body: `Not measured: ${error instanceof Error ? error.message : String(error)}.` };
  }
  try {
    const script = join(ctx.work, "corpusRawRead.mjs");
    writeFileSync(script, CORPUS_RAW_READ_SCRIPT);
    const env = { ...process.env, DO_NOT_TRACK: "1", DBT_SEND_ANONYMOUS_USAGE_STATS: "false" };
    const rows: string[][] = [];
    const cell = (s: Series | null) => (s ? `${seconds(s.wall.median)} (CPU ${s.cpu ? seconds(s.cpu.median) : "n/m"}, ${s.rss ? megabytes(s.rss.median) : "n/m"})` : "failed");
    for (const project of CORPUS_PROJECTS) {
      const root = join(copy.dir, project.name, project.projectDir);
      const out = join(ctx.work, `corpus-${project.name}.json`);
      const status = await repeat(ctx, `corpus ${project.name}: status`, ctx.options.reps, () =>
        ctx.measure({ command: ctx.options.node, args: [ctx.cli, "status", "--json", "--root", root], cwd: root, stdoutFile: out }),
      );
      let models = "";
      try {
        const report = JSON.parse(readFileSync(out, "utf8")) as { models: unknown[]; problems: unknown[] };
        models = `${report.models.length} paused, ${report.problems.length} problems`;
      } catch {
        models = "no JSON";
      }
      const raw = await repeat(ctx, `corpus ${project.name}: raw read`, ctx.options.reps, () => ctx.measure({ command: ctx.options.node, args: [script, root], cwd: root, stdoutFile: out }));
      let read = "";
      try {
        const { files, bytes } = JSON.parse(readFileSync(out, "utf8")) as { files: number; bytes: number };
        read = `${thousands(files)} files, ${(bytes / 1e6).toFixed(2)} MB`;
      } catch {
        read = "";
      }
      rmSync(out, { force: true });
      let dbt: Series | null = null;
      let dbtNote = "not run: the packages it needs are not in the corpus (`dbt deps` needs the network)";
      if (project.parsesHere !== false && ctx.dbt) {
        const profilesDir = copy.profilesDir(project.profile);
        const duck = join(ctx.work, "corpus-duckdb");
        mkdirSync(duck, { recursive: true });
        dbt = await repeat(ctx, `corpus ${project.name}: dbt parse`, ctx.options.dbtReps, () =>
          ctx.measure({
            command: ctx.dbt!,
            args: ["parse", "--no-partial-parse", "--no-use-colors", "--profiles-dir", profilesDir],
            cwd: root,
            env: { ...env, DBT_UNSKIP_DUCKDB_PATH: join(duck, `${project.name}.duckdb`), ...(project.profileByEnv ? { DBT_PROFILE: project.profile } : {}) },
            timeoutMs: 10 * 60_000,
          }),
        );
        dbtNote = project.parsesHere === "without-packages-file" ? "its `packages.yml` removed in the scratch copy (its models call no package macro at parse time)" : "";
      }
      rows.push([
        `\`${project.name}\``,
        read,
        cell(status),
        cell(raw),
        status && raw ? ratio(status.wall.median / raw.wall.median) : "",
        dbt ? cell(dbt) : "not run",
        dbt && status ? `${ratio(dbt.wall.median / status.wall.median)}` : "",
        [models, dbtNote].filter(Boolean).join("; "),
      ]);
    }
    return {
      title,
      body: [
        `The four public dbt projects of \`../shared/corpus\` (read its README), each on a scratch copy (\`link-packages.sh\` run). \`status --json --root <project>\` (the built CLI, as above) beside a raw read of the same project tree (a fresh Node process listing it, installed packages included, symbolic links not followed, and reading every \`.sql\`/\`.py\`/\`.yml\`/\`.md\`/\`.csv\` file once) and, where the pinned dbt parses the project on this machine, \`dbt parse --no-partial-parse\`: only **elementary** parses here, and only **with its \`packages.yml\` removed** in the scratch copy; the other three need hub packages the corpus does not hold. Medians of ${ctx.options.reps} runs (dbt: ${ctx.options.dbtReps}) after a warm-up run; wall (CPU, peak RSS). These projects are small (20–154 models): start-up dominates their times.`,
        "",
        markdownTable(["project", "read", "status", "raw read", "status / raw", "dbt parse", "dbt / status", "notes"], rows, ["l", "r", "r", "r", "r", "r", "r", "l"]),
      ].join("\n"),
    };
  } finally {
    copy.cleanup();
  }
};
