import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifestArtifact } from "../../../src/adapters/dbt/dbtArtifacts.js";
import { useTempDir } from "../../helpers/useTempDir.js";

// The one reader of manifest.json (plan, run, backfill, scratch manifests, exact extraction).
describe("readManifestArtifact", () => {
  const tmp = useTempDir("dbt-unskip-manifest-");

  it("parses target/manifest.json", async () => {
    const target = tmp();
    await writeFile(join(target, "manifest.json"), JSON.stringify({ metadata: { adapter_type: "duckdb" }, nodes: {} }));
    expect(await readManifestArtifact(target)).toEqual({ metadata: { adapter_type: "duckdb" }, nodes: {} });
  });

  it("is null when dbt wrote none, or wrote something that is not JSON (never a half-read manifest)", async () => {
    const target = tmp();
    expect(await readManifestArtifact(target)).toBeNull();
    await writeFile(join(target, "manifest.json"), '{"nodes": {');
    expect(await readManifestArtifact(target)).toBeNull();
  });
});
