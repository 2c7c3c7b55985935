import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../../src/adapters/files/diskFileSource.js";
import { DEFAULT_CONFIG } from "../../../src/core/config/unskipConfig.js";
import type { ReadinessReport } from "../../../src/core/readiness/readinessReport.js";
import { blockersDiagram } from "../../../src/core/render/blockersDiagram.js";
import { renderStatusMermaid } from "../../../src/core/render/renderStatusText.js";
import { renderDashboard } from "../../../src/core/render/renderDashboard.js";
import type { FileSource } from "../../../src/usecases/fileSource.js";
import { computeStatus } from "../../../src/usecases/computeStatus.js";
import { loadConfig } from "../../../src/usecases/loadConfig.js";
import { generateProject } from "../../bench/generateProject.js";
import { gfmProblems } from "../../helpers/gfmStructure.js";
import { parseMermaid } from "../../helpers/parseMermaid.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../../helpers/scratchExample.js";

const CORPUS = join(REPO_ROOT, "..", "shared", "corpus");

/** A real project with every third model paused (renamed `.sql.skip` in what the tool reads; the disk is untouched). */
function pausingEveryThird(files: FileSource): FileSource {
  const paused = new Set<string>();
  const rename = (paths: string[]) =>
    paths.map((p) => {
      if (!/(^|\/)models\/.*\.sql$/.test(p) || p.includes("dbt_packages/")) return p;
      const n = paused.size + [...p].reduce((s, c) => s + c.charCodeAt(0), 0);
      if (n % 3 !== 0) return p;
      paused.add(`${p}.skip`);
      return `${p}.skip`;
    });
  return {
    list: async (dir) => rename(await files.list(dir)),
    glob: async (patterns) => rename(await files.glob(patterns)),
    read: (path) => files.read(paused.has(path) ? path.slice(0, -".skip".length) : path),
  };
}

/** Every diagram a project's reports give (status --format mermaid and the dashboard's) parses with mermaid, within the caps. */
async function expectDiagramsParse(reports: readonly ReadinessReport[]): Promise<void> {
  for (const report of reports) {
    const { mermaid } = blockersDiagram(report);
    expect(mermaid.split("\n").filter((l) => /^ {2}n\d+\[/.test(l)).length).toBeLessThanOrEqual(60);
    expect(mermaid.length).toBeLessThan(50_000);
    expect(await parseMermaid(mermaid)).toBe("flowchart-v2");
  }
  // `status --format mermaid`: larger caps, still inside mermaid's own limits.
  if (reports.length === 1) {
    const cli = renderStatusMermaid(reports);
    expect(cli.length).toBeLessThan(50_000);
    expect(cli.split("\n").filter((l) => l.includes("-->")).length).toBeLessThan(500);
    expect(await parseMermaid(cli)).toBe("flowchart-v2");
  }
  const dashboard = gfmProblems(renderDashboard(reports, { commit: "abc" }));
  expect(dashboard.problems).toEqual([]);
  for (const diagram of dashboard.mermaid) await parseMermaid(diagram);
}

describe("diagrams of real and large projects parse with mermaid", () => {
  it("the example", async () => {
    const files = createDiskFileSource(EXAMPLE_DIR);
    const { reports } = await computeStatus({ files, config: await loadConfig(files) });
    expect(reports[0]!.summary.paused).toBeGreaterThan(0);
    await expectDiagramsParse(reports);
  });

  for (const name of ["hubspot", "salesforce", "dbt_project_evaluator", "elementary"]) {
    it(`the corpus project ${name}, every third model paused`, async () => {
      expect(existsSync(join(CORPUS, name)), `${CORPUS} (the shared corpus) is missing`).toBe(true);
      const files = pausingEveryThird(createDiskFileSource(join(CORPUS, name)));
      const { reports } = await computeStatus({ files, config: { ...DEFAULT_CONFIG } });
      expect(reports[0]!.summary.paused).toBeGreaterThan(5);
      await expectDiagramsParse(reports);
    });
  }

  let scratch: string | null = null;
  afterAll(() => (scratch ? rm(scratch, { recursive: true, force: true }) : undefined));
  it("a generated 10,000-model project: capped, says what it left out, parses", async () => {
    scratch = await mkdtemp(join(tmpdir(), "mermaid-10k-"));
    const project = generateProject({ dir: join(scratch, "p"), models: 10_000, seed: 20261207 });
    const files = createDiskFileSource(project.dir);
    const { reports } = await computeStatus({ files, config: await loadConfig(files) });
    const { omitted } = blockersDiagram(reports[0]!);
    expect(omitted.count).toBeGreaterThan(0);
    await expectDiagramsParse(reports);
  }, 120_000);
});
