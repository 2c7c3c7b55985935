import { describe, expect, it } from "vitest";
import { dbtEnvironment } from "../../src/adapters/dbt/dbtEnvironment.js";

describe("dbt's allow-listed environment", () => {
  const source = {
    PATH: "/usr/bin",
    HOME: "/home/runner",
    GITHUB_TOKEN: "ghs_secret",
    ACTIONS_RUNTIME_TOKEN: "secret",
    AWS_SECRET_ACCESS_KEY: "secret",
    DBT_PROFILES_DIR: "/profiles",
    DBT_ENV_SECRET_PASSWORD: "warehouse-password",
    DBT_UNSKIP_DUCKDB_PATH: "/tmp/x.duckdb",
    SNOWFLAKE_PASSWORD: "pw",
  };

  it("passes what a process needs and dbt's own settings, nothing else", () => {
    expect(dbtEnvironment(source)).toEqual({
      PATH: "/usr/bin",
      HOME: "/home/runner",
      DBT_PROFILES_DIR: "/profiles",
      DBT_UNSKIP_DUCKDB_PATH: "/tmp/x.duckdb",
      DBT_SEND_ANONYMOUS_USAGE_STATS: "false",
      DBT_USE_COLORS: "false",
      PYTHONIOENCODING: "utf-8",
    });
  });

  it("secrets reach dbt only when named", () => {
    const env = dbtEnvironment(source, ["DBT_ENV_SECRET_PASSWORD", "SNOWFLAKE_PASSWORD"]);
    expect(env.DBT_ENV_SECRET_PASSWORD).toBe("warehouse-password");
    expect(env.SNOWFLAKE_PASSWORD).toBe("pw");
    expect(env.GITHUB_TOKEN).toBeUndefined();
  });
});
