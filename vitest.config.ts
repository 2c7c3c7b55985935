import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests run real dbt and git; give them room, and never let two dbt runs share a
    // DuckDB file (each test works in its own scratch copy).
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
