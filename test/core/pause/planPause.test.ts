import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../../src/core/config/unskipConfig.js";
import { planPause } from "../../../src/core/pause/planPause.js";
import { createDimensionAssigner } from "../../../src/core/readiness/assignDimensions.js";
import { projectOf } from "../../helpers/memoryProject.js";

const tagged = (dim: string, body: string) => `{{ config(tags=['${dim}']) }}\n${body}`;

const project = projectOf({
  "models/stg_users.sql": tagged("dim_user", "select 1"),
  "models/mas_user_contracts.sql": tagged("dim_user", "select * from {{ ref('mas_contracts') }} join {{ ref('stg_users') }} using (id)"),
  "models/mas_user_addresses.sql": tagged("dim_user", "select * from {{ source('bronze', 'addresses') }}"),
  "models/d_user.sql": tagged("dim_user", "select * from {{ ref('mas_user_contracts') }}"),
  "models/f_user_py.py": 'def model(dbt, session):\n    dbt.config(tags=["dim_user"])\n    return dbt.ref("d_user")\n',
  "models/f_account.sql": tagged("dim_account", "select * from {{ ref('d_user') }}"),
  "models/f_other.sql": tagged("dim_other", "select * from {{ ref('gone') }}"),
});
const assign = createDimensionAssigner(DEFAULT_CONFIG, []);

describe("planPause: the static proposal", () => {
  it("the dimension's models that ref what nothing provides, and everything downstream in any dimension, with why", () => {
    const plan = planPause(project, assign, "dim_user");
    expect(plan.proposed.map((p) => [p.model.name, p.root, p.reason])).toEqual([
      ["mas_user_contracts", true, "static scan: 'mas_contracts' is provided by nothing in the project"],
      ["mas_user_addresses", true, "static scan: source 'bronze.addresses' is provided by nothing in the project"],
      ["d_user", false, "needs mas_user_contracts, which is paused"],
      ["f_account", false, "needs d_user of dim_user, which is paused (cascade into dim_account)"],
      ["f_user_py", false, "needs d_user, which is paused"],
    ]);
    expect(plan.proposed.find((p) => p.model.name === "f_user_py")!.model).toMatchObject({ realFile: "models/f_user_py.py", skipFile: "models/f_user_py.py.skip" });
    // Another dimension's broken model is not this pause's to take; stg_users stays.
    expect(plan.eligible.map((m) => m.name)).not.toContain("f_other");
    expect(plan.proposed.map((p) => p.model.name)).not.toContain("stg_users");
    // Dependency order: each eligible model after what it needs.
    const order = plan.eligible.map((m) => m.name);
    expect(order.indexOf("mas_user_contracts")).toBeLessThan(order.indexOf("d_user"));
    expect(order.indexOf("d_user")).toBeLessThan(order.indexOf("f_account"));
  });

  it("--models replaces the proposal's roots; a name that is not an active model of the dimension is refused", () => {
    const plan = planPause(project, assign, "dim_user", ["stg_users"]);
    expect(plan.proposed.map((p) => p.model.name)).toEqual(["stg_users", "mas_user_contracts", "d_user", "f_account", "f_user_py"]);
    expect(plan.proposed[0]!.reason).toBe("asked for");
    expect(() => planPause(project, assign, "dim_user", ["f_account"])).toThrow("not an active model of dim_user: f_account is in dim_account");
    expect(() => planPause(project, assign, "dim_user", ["nope"])).toThrow("nope is not an active model");
  });
});
