import { describe, expect, it } from "vitest";
import { modelFilesRead } from "../../../src/core/plan/manifestIndex.js";

// The files restore's proof holds each restored model to: the root project's models dbt read.
describe("modelFilesRead", () => {
  it("takes the root project's models, enabled or disabled by config, and nothing else", () => {
    const manifest = {
      metadata: { project_name: "shop" },
      nodes: {
        "model.shop.a": { resource_type: "model", package_name: "shop", original_file_path: "models/a.sql" },
        "model.utils.b": { resource_type: "model", package_name: "utils", original_file_path: "models/b.sql" },
        "seed.shop.c": { resource_type: "seed", package_name: "shop", original_file_path: "seeds/c.csv" },
        "test.shop.t": { resource_type: "test", package_name: "shop", original_file_path: "models/a.sql" },
      },
      disabled: { "model.shop.d": [{ resource_type: "model", package_name: "shop", original_file_path: "models/d.py" }] },
    };
    expect([...modelFilesRead(manifest)].sort()).toEqual(["models/a.sql", "models/d.py"]);
  });

  it("reads a manifest of the wrong shape as one that holds nothing", () => {
    for (const wrong of [null, 3, "x", [], { nodes: [1], disabled: { x: 5 } }]) expect(modelFilesRead(wrong).size).toBe(0);
  });
});
