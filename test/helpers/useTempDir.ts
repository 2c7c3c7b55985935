import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

/**
 * A fresh empty folder for each test of the enclosing `describe` (or file), removed after it.
 *
 *     const dir = useTempDir("dbt-unskip-x-");
 *     it("...", async () => { await writeFile(join(dir(), "a"), ""); });
 */
export function useTempDir(prefix: string): () => string {
  let current: string | undefined;
  beforeEach(async () => {
    current = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (current) await rm(current, { recursive: true, force: true });
    current = undefined;
  });
  return () => {
    if (!current) throw new Error("temporary folder used outside its tests");
    return current;
  };
}
