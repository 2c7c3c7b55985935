import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";

// RELIABILITY 3: names from the repository reach the job log (the text report). A ref name that
// holds line breaks puts `::add-mask::` and `::error::` at the start of log lines; the bundled
// Action prints them inside a `::stop-commands::<token>` fence, with a fresh random token each time,
// so the runner prints them and obeys none.
const ACTION = join(REPO_ROOT, "dist", "index.js");
const HOSTILE = /^::(add-mask::select|error::pwned|warning::from-source)/;

let repo: TestRepo;
let scratch: string;
beforeAll(async () => {
  [repo, scratch] = await Promise.all([createTestRepo(EXAMPLE_DIR), mkdtemp(join(tmpdir(), "dbt-unskip-fence-"))]);
  await repo.write("dbt/transform/gold/f_hostile.sql.skip", "select * from {{ ref('x\\n::add-mask::select\\n::error::pwned') }} join {{ source('s\\n::warning::from-source', 't') }}\n");
  await repo.commit("A paused model whose refs carry workflow commands");
});
afterAll(async () => {
  await repo.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

async function runAction(run: string): Promise<{ code: number | null; stdout: string }> {
  const dir = join(scratch, run);
  await mkdir(join(dir, "runner-temp"), { recursive: true });
  await writeFile(join(dir, "event.json"), JSON.stringify({ action: "published" }));
  await writeFile(join(dir, "output"), "");
  await writeFile(join(dir, "summary.md"), "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "release",
    GITHUB_EVENT_PATH: join(dir, "event.json"),
    GITHUB_REPOSITORY: "acme/warehouse",
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_API_URL: "http://127.0.0.1:9",
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
    RUNNER_TEMP: join(dir, "runner-temp"),
    INPUT_TOKEN: "",
    INPUT_COMMENT: "changed",
    INPUT_IDENTITY: "",
    "INPUT_WORKING-DIRECTORY": ".",
    "INPUT_PROJECT-DIR": "",
    INPUT_CONFIG: "",
    INPUT_COMMAND: "auto",
    INPUT_DIMENSION: "",
    "INPUT_SAVED-REPORT": "",
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [ACTION], { cwd: repo.dir, env, encoding: "utf8" }, (error, stdout) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout }));
  });
}

/** Line ranges [start, end] of each `::stop-commands::T` … `::T::` fence in the log. */
function fences(lines: string[]): { token: string; start: number; end: number }[] {
  const found: { token: string; start: number; end: number }[] = [];
  lines.forEach((line, start) => {
    const open = /^::stop-commands::(.+)$/.exec(line);
    if (!open) return;
    const token = open[1]!;
    const end = lines.indexOf(`::${token}::`, start + 1);
    found.push({ token, start, end });
  });
  return found;
}

it("hostile ref and source names in the log sit inside a closed fence whose token is random and not in the text", async () => {
  const first = await runAction("one");
  expect(first.code).toBe(0);
  const lines = first.stdout.split("\n");
  const hostile = lines.flatMap((l, i) => (HOSTILE.test(l) ? [i] : []));
  // The names did reach the log as lines of their own: the fence is what stands between them and the runner.
  expect(hostile.length).toBeGreaterThanOrEqual(3);
  const found = fences(lines);
  for (const i of hostile) {
    const around = found.find((f) => f.start < i && (f.end === -1 ? Infinity : f.end) > i);
    expect(around, `log line ${i} (${lines[i]}) is not inside a stop-commands fence`).toBeDefined();
    expect(around!.end, "the fence is closed").toBeGreaterThan(i);
    expect(around!.token).toMatch(/^[0-9a-f]{32}$/);
    // The text inside cannot end the fence: it does not know the token.
    expect(lines.slice(around!.start + 1, around!.end).join("\n")).not.toContain(around!.token);
  }

  const second = await runAction("two");
  const tokens = (out: string) => fences(out.split("\n")).map((f) => f.token);
  expect(tokens(second.stdout).length).toBeGreaterThan(0);
  expect(tokens(second.stdout).filter((t) => tokens(first.stdout).includes(t))).toEqual([]);
});
