import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";

// RELIABILITY 34 (issue #15 item 8): a paused file whose name holds a line break was passed over in
// silence (not counted, not a problem). Every file the tool skips is a problem, its name escaped so
// the line break cannot forge a line of the report.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "dbt-unskip-odd-names-"));
  await cp(EXAMPLE_DIR, root, { recursive: true });
  const gold = join(root, "dbt", "transform", "gold");
  await writeFile(join(gold, "f_new\nline.sql.skip"), "select 1");
  await writeFile(join(gold, "f_cr\rname.SQL"), "select 1");
  await writeFile(join(gold, ".sql.skip"), "select 1");
  await writeFile(join(gold, "notes.md"), "not a model, not named like one");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("files passed over", () => {
  it("each is a problem naming the file with its line breaks escaped; the rest of the report comes out", async () => {
    const files = createDiskFileSource(root);
    const { reports } = await computeStatus({ files, config: await loadConfig(files) });
    const report = reports[0]!;
    const skipped = report.problems
      .filter((p) => p.message.startsWith("skipped:"))
      .map((p) => `${p.file}: ${p.message}`)
      .sort();
    expect(skipped).toEqual([
      "dbt/transform/gold/.sql.skip: skipped: the file name has nothing before its extension; rename the file",
      "dbt/transform/gold/f_cr\\rname.SQL: skipped: the file name holds a line break; rename the file",
      "dbt/transform/gold/f_new\\nline.sql.skip: skipped: the file name holds a line break; rename the file",
    ]);
    for (const problem of report.problems) expect(problem.file).not.toMatch(/[\n\r]/);
    // A file not named like a model is dbt's business and not a problem.
    expect(report.problems.some((p) => p.file.endsWith("notes.md"))).toBe(false);
    expect(report.summary.paused).toBeGreaterThanOrEqual(9);
  });
});
