import { describe, expect, it } from "vitest";
import { locationsOutsideRepository } from "../../../src/core/stateDocument/stateDocumentLocations.js";

// A paused model's `**Location**` is relative to the dbt project folder. One that leads outside the
// repository (absolute, or climbing out with `..`) is a problem naming the document, the line and the
// value: dbt-unskip reads only the repository, and such a location never names a file of it.

const doc = (locations: (string | null)[]) => ({
  path: "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md",
  pausedModels: locations.map((location, i) => ({ name: `m${i}`, location, line: 10 * (i + 1) })),
});

describe("locationsOutsideRepository", () => {
  it("inside the repository, or no location: nothing to say (a shared folder beside the project is inside)", () => {
    expect(locationsOutsideRepository(doc(["transform/gold/d_user.sql.skip", "./models/x.sql.skip", "models\\win\\y.sql.skip", "../shared/z.sql.skip", null]), "dbt")).toEqual([]);
  });

  it("absolute (POSIX, Windows, home) or climbing out of the repository: one problem each, naming the line and the value", () => {
    const found = locationsOutsideRepository(
      doc(["/etc/passwd", "C:\\models\\a.sql.skip", "~/models/b.sql.skip", "../../outside/c.sql.skip", "transform/../../../d.sql.skip", "\\\\server\\share\\e.sql.skip"]),
      "dbt",
    );
    expect(found.map((p) => [p.kind, p.file, p.message.slice(0, p.message.indexOf(":"))])).toEqual(
      [1, 2, 3, 4, 5, 6].map((i) => ["invalid-state-document", "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md", `line ${10 * i}`]),
    );
    expect(found[0]!.message).toBe(
      `line 10: the **Location** of paused model "m0", "/etc/passwd", is outside the repository (relative to the dbt project folder, dbt): dbt-unskip reads only the repository and does not use it; correct the location`,
    );
    expect(found[3]!.message).toContain(`"../../outside/c.sql.skip", is outside the repository`);
  });

  it("a project at the repository's root: one `..` already leads out", () => {
    expect(locationsOutsideRepository(doc(["../x.sql.skip"]), "")).toHaveLength(1);
    expect(locationsOutsideRepository(doc(["../x.sql.skip"]), ".")).toHaveLength(1);
    expect(locationsOutsideRepository(doc(["../x.sql.skip"]), "dbt")).toEqual([]);
  });
});
