import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { pathListing } from "../../src/adapters/files/pathListing.js";
import type { FileContent } from "../../src/core/project/projectSnapshot.js";
import type { FileSource } from "../../src/usecases/fileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { readStateDocuments } from "../../src/usecases/readStateDocuments.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { renderStatusText } from "../../src/core/render/renderStatusText.js";
import { renderStatusReply } from "../../src/core/chatOps/renderReplies.js";
import { renderDashboard, restoreCheckboxTag } from "../../src/core/render/renderDashboard.js";

// State documents are read from the repository only: a `dimensions` folder that is a symbolic link
// (committed as one: to a folder outside the repository, or inside it) is not followed. Writing
// through it is refused already (src/adapters/git/treeTransaction.ts); reading through it made status
// report state that is not in the repository (seen on a copy of the example: the three documents of
// a folder beside the repository were read and shown).

const root = mkdtempSync(join(tmpdir(), "dbt-unskip-state-link-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const LINK_PROBLEM = (folder: string) => ({
  kind: "invalid-state-document",
  file: folder,
  message: `${folder} is a symbolic link: dbt-unskip does not read state documents through links (nor write through them), so none was read; put the folder itself in the repository`,
});

describe("readStateDocuments and symbolic links", () => {
  it("reads the example's documents from a real folder", async () => {
    const repo = join(root, "plain");
    cpSync(EXAMPLE_DIR, repo, { recursive: true });
    const { documents, problems } = await readStateDocuments(createDiskFileSource(repo), "dimensions");
    expect(documents.map((d) => d.dimension).sort()).toEqual(["dim_contract", "dim_product", "dim_user"]);
    expect(problems).toEqual([]);
  });

  it("a `dimensions` link to a folder outside the repository: nothing read, the link named", async () => {
    const repo = join(root, "outside", "repo");
    mkdirSync(repo, { recursive: true });
    cpSync(join(EXAMPLE_DIR, "dimensions"), join(root, "outside", "elsewhere"), { recursive: true });
    symlinkSync("../elsewhere", join(repo, "dimensions"));
    const { documents, problems } = await readStateDocuments(createDiskFileSource(repo), "dimensions");
    expect(documents).toEqual([]);
    expect(problems).toEqual([LINK_PROBLEM("dimensions")]);
  });

  it("a link to a folder inside the repository, and a link on the way (`docs` → elsewhere in `docs/dimensions`): not followed either", async () => {
    const repo = join(root, "inside");
    mkdirSync(join(repo, "real", "dimensions"), { recursive: true });
    cpSync(join(EXAMPLE_DIR, "dimensions"), join(repo, "real", "dimensions"), { recursive: true });
    symlinkSync("real/dimensions", join(repo, "dimensions"));
    symlinkSync("real", join(repo, "docs"));
    const files = createDiskFileSource(repo);
    expect(await readStateDocuments(files, "dimensions")).toEqual({ documents: [], problems: [LINK_PROBLEM("dimensions")] });
    expect(await readStateDocuments(files, "docs/dimensions/")).toEqual({ documents: [], problems: [LINK_PROBLEM("docs")] });
    expect((await readStateDocuments(files, "real/dimensions")).documents).toHaveLength(3);
  });

  it("a dimension's folder, or a document, that is a link: not read, the link named; the other dimensions read", async () => {
    const repo = join(root, "dimension-link");
    cpSync(EXAMPLE_DIR, repo, { recursive: true });
    cpSync(join(repo, "dimensions", "dim_user"), join(root, "dim_user_elsewhere"), { recursive: true });
    rmSync(join(repo, "dimensions", "dim_user"), { recursive: true });
    symlinkSync(join(root, "dim_user_elsewhere"), join(repo, "dimensions", "dim_user"));
    // And a document that is itself a link (to a file outside the repository).
    const product = "dimensions/dim_product/DIM_PRODUCT_MIGRATION_STATE.md";
    cpSync(join(repo, product), join(root, "product_elsewhere.md"));
    rmSync(join(repo, product));
    symlinkSync(join(root, "product_elsewhere.md"), join(repo, product));
    const { documents, problems } = await readStateDocuments(createDiskFileSource(repo), "dimensions");
    expect(documents.map((d) => d.dimension)).toEqual(["dim_contract"]);
    expect(problems).toEqual([LINK_PROBLEM(product), LINK_PROBLEM("dimensions/dim_user")]);
  });

  it("a commit or tarball (links are entries there, never followed): the same problem", async () => {
    // As gitCommitFileSource and tarballFileSource answer: the link is a listed entry, read as a link.
    const entries = new Map<string, FileContent>([["dimensions", { kind: "unreadable", reason: "symbolic link (not followed)" }]]);
    const files: FileSource = { ...pathListing(entries.keys()), read: async (path) => entries.get(path) ?? null };
    expect(await readStateDocuments(files, "dimensions")).toEqual({ documents: [], problems: [LINK_PROBLEM("dimensions")] });
  });
});

describe("status and a paused model's **Location** outside the repository", () => {
  it("is reported as a problem naming the document, its line and the value (seen on a copy of the example: status said nothing of it)", async () => {
    const repo = join(root, "location");
    cpSync(EXAMPLE_DIR, repo, { recursive: true });
    const doc = "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md";
    const text = readFileSync(join(repo, doc), "utf8");
    writeFileSync(join(repo, doc), text.replace("`transform/gold/d_user.sql.skip`", "`../../../etc/d_user.sql.skip`"));
    const line = text.split("\n").findIndex((l) => l.includes("transform/gold/d_user.sql.skip")) + 1;
    const files = createDiskFileSource(repo);
    const { reports } = await computeStatus({ files, config: await loadConfig(files) });
    const found = reports[0]!.problems.filter((p) => p.message.includes("outside the repository"));
    expect(found).toEqual([
      {
        kind: "invalid-state-document",
        file: doc,
        message: expect.stringMatching(/^line \d+: the \*\*Location\*\* of paused model "d_user", "\.\.\/\.\.\/\.\.\/etc\/d_user\.sql\.skip", is outside the repository/),
      },
    ]);
    // The line of the entry that names the model, just above its **Location** line.
    const at = Number(/^line (\d+):/.exec(found[0]!.message)?.[1]);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(line);
  });
});

describe("status does not suggest a restore it would refuse (a dimension's state documents' folder that is a link)", () => {
  // Seen on a copy of the example: with `dimensions/dim_contract` a link, status said
  // "Next: dbt-unskip restore --dimension dim_contract", and that restore is refused before it starts.
  const refusal = (link: string) => ({
    link,
    message: `restore would be refused: ${link} is a symbolic link (dbt-unskip does not read or write state documents through links); put the folder itself in the repository`,
  });
  const linked = (name: string, folder: string) => {
    const repo = join(root, name);
    cpSync(EXAMPLE_DIR, repo, { recursive: true });
    cpSync(join(repo, folder), join(root, `${name}-elsewhere`), { recursive: true });
    rmSync(join(repo, folder), { recursive: true });
    symlinkSync(join(root, `${name}-elsewhere`), join(repo, folder));
    return createDiskFileSource(repo);
  };
  const nextLine = (text: string) => text.split("\n").find((l) => l.startsWith("Next: "));

  it("one dimension's folder: the next restore suggested is another dimension's, and the linked one says what to change", async () => {
    const files = linked("next-one", "dimensions/dim_contract");
    const { reports } = await computeStatus({ files, config: await loadConfig(files) });
    const report = reports[0]!;
    expect(report.dimensions.map((d) => [d.name, d.ready, d.restoreRefused ?? null])).toEqual([
      ["dim_account", 0, null],
      ["dim_contract", 1, refusal("dimensions/dim_contract")],
      ["dim_product", 1, null],
      ["dim_user", 1, null],
    ]);
    const text = renderStatusText(report);
    expect(nextLine(text)).toBe("Next: dbt-unskip restore --dimension dim_product   restores 1 ready model (then dim_user)");
    expect(text).toContain(`dim_contract    3/5   migrated ( 60%)  ready 1 · blocked 1 · investigate 0  (no state document)  (${refusal("dimensions/dim_contract").message})`);
    // The bot's reply and the dashboard render their next steps from the same report.
    const reply = renderStatusReply("ana", reports, { ref: "main", commit: null });
    expect(reply).toContain("**Next:** comment `/unskip restore dim_product` to restore 1 ready model (other dimensions are ready too, below).");
    expect(reply).not.toContain("/unskip restore dim_contract");
    expect(reply).toContain(
      "- Ready in `dim_contract`: `f_contract_channels` (restore would be refused: `dimensions/dim_contract` is a symbolic link (dbt-unskip does not read or write state documents through links); put the folder itself in the repository)",
    );
    const dashboard = renderDashboard(reports, { commit: "0".repeat(40) });
    expect(dashboard).not.toContain(restoreCheckboxTag("dim_contract"));
    expect(dashboard).toContain(restoreCheckboxTag("dim_product"));
    expect(dashboard).toContain("- `dim_contract`: 1 ready (`f_contract_channels`); restore would be refused: `dimensions/dim_contract` is a symbolic link");
    expect(dashboard).toContain("ready** in `dim_product`, `dim_user`.");
  });

  it("the `dimensions` folder itself: no restore is suggested anywhere; what to change is, in the text, the JSON and the Markdown", async () => {
    const files = linked("next-all", "dimensions");
    const { reports } = await computeStatus({ files, config: await loadConfig(files) });
    const report = reports[0]!;
    expect(report.dimensions.map((d) => d.restoreRefused ?? null)).toEqual([1, 2, 3, 4].map(() => refusal("dimensions")));
    expect(JSON.parse(JSON.stringify(report)).dimensions[1].restoreRefused).toEqual(refusal("dimensions"));
    const text = renderStatusText(report);
    expect(nextLine(text)).toBe(`Next: dim_contract has 1 ready model, but its ${refusal("dimensions").message}`);
    expect(text).not.toContain("dbt-unskip restore");
    const reply = renderStatusReply("ana", reports, { ref: "main", commit: null });
    expect(reply).toContain(
      "**Next:** `dim_contract` has 1 ready model, but its restore would be refused: `dimensions` is a symbolic link (dbt-unskip does not read or write state documents through links); put the folder itself in the repository.",
    );
    expect(reply).not.toContain("/unskip restore");
    const dashboard = renderDashboard(reports, { commit: "0".repeat(40) });
    expect(dashboard).not.toContain("<!-- dbt-unskip:restore:");
    expect(dashboard).toContain("> [!WARNING]\n> **1 paused model ready** in `dim_contract`, but its restore would be refused: `dimensions` is a symbolic link");
  });
});
