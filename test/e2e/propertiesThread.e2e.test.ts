import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_BUNDLE } from "../helpers/runBundledCli.js";
import { generateProject } from "../bench/generateProject.js";

// The built CLI reads a large project's properties YAML on a worker thread (dist/propertiesWorker.js,
// src/adapters/threads/propertiesThread.ts): it must start from the bundle's own folder and give the
// same report as with worker threads off. `--cpu-prof` writes one profile per thread that ran.
describe("the bundled CLI: properties YAML on a worker thread", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-properties-thread-e2e-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function status(root: string, threads: string | undefined, profiles: string) {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    if (threads !== undefined) env.DBT_UNSKIP_THREADS = threads;
    const result = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", profiles, CLI_BUNDLE, "status", "--json", "--root", root], { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, threads: readdirSync(profiles).length };
  }

  it("a real-shaped project with over 2 MB of properties YAML: two threads, the same report as one", () => {
    // About 0.7 MB of properties YAML per 1,000 real-shaped models (BENCHMARKS.md): 4,000 models are over the threshold.
    const project = generateProject({ dir: join(scratch, "real"), models: 4000, seed: 20261121, shape: "real" });
    const threaded = status(project.dir, undefined, join(scratch, "p-threaded"));
    const single = status(project.dir, "0", join(scratch, "p-single"));
    expect(threaded.code, threaded.stderr).toBe(0);
    expect(single.code, single.stderr).toBe(0);
    expect(threaded.threads).toBe(2);
    expect(single.threads).toBe(1);
    expect(threaded.stdout).toBe(single.stdout);
    expect(JSON.parse(threaded.stdout).summary.paused).toBe(400);
  });

  it("a small project: no worker thread", () => {
    const project = generateProject({ dir: join(scratch, "small"), models: 300, seed: 20261121, shape: "real" });
    const run = status(project.dir, undefined, join(scratch, "p-small"));
    expect(run.code, run.stderr).toBe(0);
    expect(run.threads).toBe(1);
  });
});
