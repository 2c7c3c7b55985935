import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readManifestArtifact } from "../../../src/adapters/dbt/dbtArtifacts.js";

// The one reader of manifest.json (plan, run, backfill, scratch manifests, exact extraction).
describe("readManifestArtifact", () => {
  let target: string;
  beforeEach(async () => {
    target = await mkdtemp(join(tmpdir(), "dbt-unskip-manifest-"));
  });
  afterEach(async () => {
    await rm(target, { recursive: true, force: true });
  });

  it("parses target/manifest.json", async () => {
    await writeFile(join(target, "manifest.json"), JSON.stringify({ metadata: { adapter_type: "duckdb" }, nodes: {} }));
    expect(await readManifestArtifact(target)).toEqual({ metadata: { adapter_type: "duckdb" }, nodes: {} });
  });

  it("is null when dbt wrote none, or wrote something that is not JSON (never a half-read manifest)", async () => {
    expect(await readManifestArtifact(target)).toBeNull();
    await writeFile(join(target, "manifest.json"), '{"nodes": {');
    expect(await readManifestArtifact(target)).toBeNull();
  });
});
