import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../../src/adapters/files/diskFileSource.js";
import { propertiesThread, threadsAllowed, workerHeapLimits } from "../../../src/adapters/threads/propertiesThread.js";
import { buildProject, type BuildHooks } from "../../../src/core/project/buildProject.js";
import { propertiesFilesOf, propertiesHook, readPropertiesFiles } from "../../../src/core/project/propertiesAhead.js";
import type { ProjectSnapshot } from "../../../src/core/project/projectSnapshot.js";
import { parsePropertiesYaml } from "../../../src/core/project/propertiesYaml.js";
import { readProjectSnapshot } from "../../../src/usecases/readProjectSnapshot.js";
import { generateProject } from "../../bench/generateProject.js";
import { CORPUS_DIR } from "../../helpers/corpus.js";
import { buildWorkerBundle } from "../../helpers/workerBundle.js";

// Properties files read ahead (on a worker thread, src/adapters/threads/propertiesThread.ts) must give
// the very project buildProject builds reading them itself: the same JSON, key order included, and the
// same values by type (toStrictEqual), after a structured clone (what a message between threads does).

async function snapshotOf(root: string, dir: string): Promise<ProjectSnapshot> {
  return readProjectSnapshot(createDiskFileSource(root), dir);
}

/** The project built in full, and built with every properties file answered from a clone of readPropertiesFiles. */
function expectSameProject(snapshot: ProjectSnapshot, label: string): number {
  const full = buildProject(snapshot, {});
  const files = propertiesFilesOf(snapshot);
  let asked = 0;
  let answered = 0;
  const hook = propertiesHook(files, () => structuredClone(readPropertiesFiles(files)));
  const ahead = buildProject(
    snapshot,
    {},
    {
      properties(text, path) {
        asked++;
        const result = hook(text, path);
        if (result !== parsePropertiesYaml(text, path)) answered++;
        return result;
      },
    },
  );
  expect(JSON.stringify(ahead), label).toBe(JSON.stringify(full));
  expect(ahead, label).toStrictEqual(full);
  // Every properties file of the project itself came from the answers (a fresh parse is a new object).
  expect(answered, label).toBe(asked - packagePropertiesFiles(snapshot));
  return answered;
}

/** Properties files buildProject reads from installed packages (never sent ahead). */
/**
 * buildProject with the worker's hook, counting the properties files whose answer came from the
 * worker: a fresh parse here would be an object of this thread, equal but not the same as any other.
 */
function buildCountingWorkerAnswers(snapshot: ProjectSnapshot, hooks: BuildHooks): { built: ReturnType<typeof buildProject>; fromWorker: number } {
  const files = new Set(propertiesFilesOf(snapshot).map(([path]) => path));
  let fromWorker = 0;
  const built = buildProject(
    snapshot,
    {},
    {
      properties(text, path) {
        const result = hooks.properties!(text, path);
        if (result !== parsePropertiesYaml(text, path) && files.has(path)) fromWorker++;
        return result;
      },
    },
  );
  return { built, fromWorker };
}

function packagePropertiesFiles(snapshot: ProjectSnapshot): number {
  const sent = new Map(propertiesFilesOf(snapshot));
  let n = 0;
  buildProject(
    snapshot,
    {},
    {
      properties(text, path) {
        if (sent.get(path) !== text) n++;
        return parsePropertiesYaml(text, path);
      },
    },
  );
  return n;
}

describe("properties files read ahead give the project buildProject builds", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-properties-ahead-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("the real-shaped and simple generated projects", async () => {
    const real = generateProject({ dir: join(scratch, "real"), models: 600, seed: 20261121, shape: "real" });
    expect(expectSameProject(await snapshotOf(real.dir, real.projectDir), "real")).toBeGreaterThan(30);
    const simple = generateProject({ dir: join(scratch, "simple"), models: 400, seed: 20261121 });
    expect(expectSameProject(await snapshotOf(simple.dir, simple.projectDir), "simple")).toBeGreaterThan(0);
  });

  it("the corpus projects (and their packages read as projects)", async () => {
    if (!existsSync(CORPUS_DIR)) throw new Error(`the corpus is missing at ${CORPUS_DIR}`);
    let answered = 0;
    for (const dir of ["hubspot", "salesforce", "dbt_project_evaluator", "dbt_project_evaluator/integration_tests", "elementary"]) {
      answered += expectSameProject(await snapshotOf(CORPUS_DIR, dir), dir);
    }
    expect(answered).toBeGreaterThan(10);
  });

  it("an answer is used only for the text and path it was read from", () => {
    const files: [string, string][] = [
      ["models/a.yml", "version: 2\nmodels:\n  - name: a\n    config: {enabled: false}\n"],
      ["models/b.yml", "version: 2\nmodels:\n  - name: b\n"],
    ];
    const answers = readPropertiesFiles(files);
    const hook = propertiesHook(files, () => answers);
    expect(hook(files[0]![1], "models/a.yml")).toBe(answers[0]![1]);
    // Another text under the same path (the file changed), the same text under another path: read here.
    const changed = "version: 2\nmodels:\n  - name: a2\n";
    expect(hook(changed, "models/a.yml")).toStrictEqual(parsePropertiesYaml(changed, "models/a.yml"));
    expect(hook(files[1]![1], "models/c.yml")).not.toBe(answers[1]![1]);
    // Answers that do not line up with the files sent (a wrong count, a path out of place): none used.
    const short = propertiesHook(files, () => answers.slice(0, 1));
    expect(short(files[0]![1], "models/a.yml")).not.toBe(answers[0]![1]);
    const swapped = propertiesHook(files, () => [answers[1]!, answers[0]!]);
    expect(swapped(files[0]![1], "models/a.yml")).not.toBe(answers[0]![1]);
    expect(swapped(files[0]![1], "models/a.yml")).toStrictEqual(parsePropertiesYaml(files[0]![1], "models/a.yml"));
    // No answers at all (the worker failed): every file read here.
    const none = propertiesHook(files, () => null);
    expect(none(files[1]![1], "models/b.yml")).toStrictEqual(answers[1]![1]);
  });

  it("buildProject extracts every model before it reads a properties file (what lets a worker read them meanwhile)", async () => {
    const real = generateProject({ dir: join(scratch, "order"), models: 120, seed: 7, shape: "real" });
    const calls: string[] = [];
    const hooks: BuildHooks = {
      extract: (_input, file) => {
        calls.push(`extract ${file}`);
        return { dependencies: [], config: {}, warnings: [], enabled: null, unresolved: [], readsUnknownTarget: false };
      },
      properties: (text, path) => {
        calls.push(`properties ${path}`);
        return parsePropertiesYaml(text, path);
      },
    };
    buildProject(await snapshotOf(real.dir, real.projectDir), {}, hooks);
    const firstProperties = calls.findIndex((c) => c.startsWith("properties "));
    const lastExtract = calls.findLastIndex((c) => c.startsWith("extract "));
    expect(firstProperties).toBeGreaterThan(0);
    expect(lastExtract).toBeGreaterThan(0);
    expect(lastExtract).toBeLessThan(firstProperties);
  });
});

describe("propertiesThread: the properties files on a worker thread", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-properties-thread-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("gives the project buildProject builds, from a real worker's answers", async () => {
    const worker = await buildWorkerBundle('import "./src/adapters/threads/propertiesWorker.ts";');
    try {
      const real = generateProject({ dir: join(scratch, "real"), models: 400, seed: 20261121, shape: "real" });
      const snapshot = await snapshotOf(real.dir, real.projectDir);
      const prepare = propertiesThread({ workerFile: worker.path, minBytes: 1 });
      const hooks = await prepare(snapshot, {});
      expect(hooks?.properties).toBeTypeOf("function");
      const files = propertiesFilesOf(snapshot);
      const { built, fromWorker } = buildCountingWorkerAnswers(snapshot, hooks!);
      expect(built).toStrictEqual(buildProject(snapshot, {}));
      expect(fromWorker).toBe(files.length);
    } finally {
      await worker.cleanup();
    }
  });

  it("answers posted a share at a time (one file per message, or all in one) give the same project", async () => {
    const worker = await buildWorkerBundle('import "./src/adapters/threads/propertiesWorker.ts";');
    try {
      const real = generateProject({ dir: join(scratch, "shares"), models: 300, seed: 11, shape: "real" });
      const snapshot = await snapshotOf(real.dir, real.projectDir);
      const files = propertiesFilesOf(snapshot);
      expect(files.length).toBeGreaterThan(10);
      const full = buildProject(snapshot, {});
      for (const shareBytes of [1, 1e12]) {
        const hooks = await propertiesThread({ workerFile: worker.path, minBytes: 1, shareBytes })(snapshot, {});
        const { built, fromWorker } = buildCountingWorkerAnswers(snapshot, hooks!);
        expect(built).toStrictEqual(full);
        expect(fromWorker, `shares of ${shareBytes} bytes`).toBe(files.length);
      }
    } finally {
      await worker.cleanup();
    }
  });

  it("a worker that stops after some of its messages: none of them used, every file read here", async () => {
    // Posts answers for every file it is sent (wrong ones, to tell them apart) but never its \`done\`,
    // as if killed before the end: answers without their end are not used.
    const partial = await buildWorkerBundle(`
      import { workerData } from "node:worker_threads";
      const { port, flag, shares } = workerData;
      let received = 0;
      port.on("message", ({ files }) => {
        port.postMessage({ results: files.map(([path]) => [path, { properties: { models: [], sources: [], snapshots: [], seedProperties: [], snapshotProperties: [] } }]) });
        if (++received < shares) return;
        Atomics.store(flag, 0, 2);
        Atomics.notify(flag, 0);
        port.close();
      });
    `);
    try {
      const real = generateProject({ dir: join(scratch, "partial"), models: 100, seed: 13, shape: "real" });
      const snapshot = await snapshotOf(real.dir, real.projectDir);
      const hooks = await propertiesThread({ workerFile: partial.path, minBytes: 1, shareBytes: 1 })(snapshot, {});
      expect(buildProject(snapshot, {}, hooks)).toStrictEqual(buildProject(snapshot, {}));
    } finally {
      await partial.cleanup();
    }
  });

  it("the worker's heap: the young generation kept small, the old one not bounded (a bound kills the worker mid-file)", () => {
    expect(workerHeapLimits()).toEqual({ maxYoungGenerationSizeMb: 8 });
  });

  it("a worker that cannot start or fails: the files are read on this thread, with the same answers", async () => {
    const real = generateProject({ dir: join(scratch, "fail"), models: 100, seed: 3, shape: "real" });
    const snapshot = await snapshotOf(real.dir, real.projectDir);
    const full = buildProject(snapshot, {});
    const broken = await buildWorkerBundle('throw new Error("broken worker");');
    try {
      for (const workerFile of [broken.path, join(scratch, "no-such-worker.js")]) {
        const hooks = await propertiesThread({ workerFile, minBytes: 1 })(snapshot, {});
        expect(buildProject(snapshot, {}, hooks)).toStrictEqual(full);
      }
    } finally {
      await broken.cleanup();
    }
  });

  it("is off below the size threshold, when told, and from the TypeScript sources (no bundle beside them)", async () => {
    const real = generateProject({ dir: join(scratch, "small"), models: 50, seed: 5, shape: "real" });
    const snapshot = await snapshotOf(real.dir, real.projectDir);
    expect(await propertiesThread({ workerFile: "/nonexistent", minBytes: 1e12 })(snapshot, {})).toBeUndefined();
    expect(await propertiesThread({ workerFile: "/nonexistent", minBytes: 1, enabled: false })(snapshot, {})).toBeUndefined();
    expect(await propertiesThread({ minBytes: 1 })(snapshot, {})).toBeUndefined();
    expect(["0", "1", "off", "false", " no "].map(threadsAllowed)).toEqual([false, false, false, false, false]);
    expect([undefined, "", "2", "on"].map(threadsAllowed)).toEqual([true, true, true, true]);
  });
});
