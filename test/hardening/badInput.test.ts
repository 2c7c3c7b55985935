import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_FILE_BYTES } from "../../src/adapters/files/decodeText.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";

// RELIABILITY 10: state documents that are not state documents, binary or not UTF-8, and files over
// the size limit are named in the report's problems; the rest of the report still comes out.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "dbt-unskip-bad-input-"));
  await cp(EXAMPLE_DIR, root, { recursive: true });
  const doc = (dim: string) => join(root, "dimensions", dim, `${dim.toUpperCase()}_MIGRATION_STATE.md`);
  await mkdir(join(root, "dimensions", "dim_notes"), { recursive: true });
  await writeFile(doc("dim_notes"), "# Shopping list\n\n- milk\n- eggs\n");
  await mkdir(join(root, "dimensions", "dim_blob"), { recursive: true });
  await writeFile(doc("dim_blob"), Buffer.from([0x23, 0x20, 0x00, 0xff, 0x01]));
  await mkdir(join(root, "dimensions", "dim_latin"), { recursive: true });
  await writeFile(doc("dim_latin"), Buffer.from("# dim_latin Migration State\n\n**Status:** caf\xe9\n", "latin1"));
  // A model far over the size limit (spaces: valid UTF-8, no NUL byte, so only the size can refuse it).
  await writeFile(join(root, "dbt", "transform", "gold", "huge.sql.skip"), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("bad state documents and oversized files", () => {
  it("each is a problem naming its file; the good state documents and the models still come out", async () => {
    const files = createDiskFileSource(root);
    const { reports, stateDocuments } = await computeStatus({ files, config: await loadConfig(files) });
    const report = reports[0]!;
    const problems = report.problems.map((p) => `${p.kind} ${p.file}: ${p.message}`);
    const about = (file: string) => problems.filter((p) => p.includes(` ${file}: `));

    expect(about("dimensions/dim_notes/DIM_NOTES_MIGRATION_STATE.md")).toEqual([expect.stringMatching(/^invalid-state-document .*: not a migration state document/)]);
    expect(about("dimensions/dim_blob/DIM_BLOB_MIGRATION_STATE.md")).toEqual(["invalid-state-document dimensions/dim_blob/DIM_BLOB_MIGRATION_STATE.md: binary file (contains NUL bytes)"]);
    expect(about("dimensions/dim_latin/DIM_LATIN_MIGRATION_STATE.md")).toEqual(["invalid-state-document dimensions/dim_latin/DIM_LATIN_MIGRATION_STATE.md: not valid UTF-8 (line 3); save it as UTF-8"]);
    // None of them is taken for a dimension's document.
    expect(stateDocuments.map((d) => d.dimension).sort()).toEqual(["dim_contract", "dim_product", "dim_user"]);

    // The oversized model: named with its size, never read (its text would be 8 MB in a diff).
    const huge = report.problems.filter((p) => p.file.endsWith("huge.sql.skip"));
    expect(huge.length).toBe(1);
    expect(huge[0]!.kind).toBe("unreadable-file");
    expect(huge[0]!.message.length).toBeLessThan(200);
    expect(huge[0]!.message).toBe(`file is ${MAX_FILE_BYTES + 1} bytes, over the ${MAX_FILE_BYTES}-byte limit`);

    // The rest of the report: the example's paused models are all still classified.
    expect(report.summary.paused).toBeGreaterThanOrEqual(9);
    expect(report.models.some((m) => m.name === "d_user")).toBe(true);
  });
});
