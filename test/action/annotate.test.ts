import { afterEach, describe, expect, it, vi } from "vitest";
import { annotate } from "../../src/action/annotate.js";
import { diffReadiness } from "../../src/core/readiness/diffReadiness.js";
import { reportOf } from "../helpers/memoryProject.js";

describe("annotate", () => {
  afterEach(() => vi.restoreAllMocks());

  it("names files relative to the repository root when the tool works in a subfolder", () => {
    const base = { "models/stg.sql": "select 1", "models/a.sql.skip": "{{ ref('x') }}", "models/c.sql": "\n\n{{ ref('a') }}" };
    const diff = diffReadiness({ base: reportOf(base), head: reportOf({ ...base, "models/x.sql": "select 1" }), changes: [{ status: "A", path: "models/x.sql" }] });
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    annotate([diff], "/repo/warehouse", "/repo");
    expect(lines.join("")).toBe(
      [
        "::notice title=dbt-unskip%3A ready to restore,file=warehouse/models/a.sql.skip,line=1::Paused model 'a' is ready to restore: rename it back to .sql.",
        "::error title=dbt-unskip%3A active model refs a paused model,file=warehouse/models/c.sql,line=3::active model 'c' depends on 'a', which is paused: dbt parse fails until it is restored (already so on the base branch)",
        "",
      ].join("\n"),
    );
  });
});
