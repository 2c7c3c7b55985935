import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";
import { reportForDimension } from "../../src/usecases/reportForDimension.js";
import { memoryDisk } from "../helpers/memoryDisk.js";

// Two dbt projects in one repository, each with a paused model of its own dimension: the report a
// plan or a run works from is the one project that knows the dimension, read through the disk port.
const project = (name: string) => `name: ${name}\nversion: "1.0"\nprofile: ${name}\nmodel-paths: ["models"]\n`;
const repo = memoryDisk({
  "/repo/sales/dbt_project.yml": project("sales"),
  "/repo/sales/models/stg_orders.sql": "select 1 as id",
  "/repo/sales/models/dim_customer.sql.skip": "{{ config(tags=['dim_customer']) }}\nselect * from {{ ref('stg_orders') }}",
  "/repo/hr/dbt_project.yml": project("hr"),
  "/repo/hr/models/stg_people.sql": "select 1 as id",
  "/repo/hr/models/dim_employee.sql.skip": "{{ config(tags=['dim_employee']) }}\nselect * from {{ ref('stg_people') }}",
});
const config = { ...DEFAULT_CONFIG, projectDirs: ["sales", "hr"] };

describe("reportForDimension", () => {
  it("reads the repository through the disk port and picks the project that knows the dimension", async () => {
    const report = await reportForDimension({ disk: repo, root: "/repo", config, dimension: "dim_employee" });
    expect(report.project.dir).toBe("hr");
    expect(report.dimensions.map((d) => d.name)).toContain("dim_employee");
    expect(repo.asked).toContain("tree /repo");
  });

  it("refuses a dimension no project knows, naming the way out", async () => {
    await expect(reportForDimension({ disk: repo, root: "/repo", config, dimension: "dim_nowhere" })).rejects.toThrow("no project knows dimension 'dim_nowhere'; choose one with --project-dir");
  });
});
