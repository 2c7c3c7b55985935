import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests run real dbt and git; give them room (a loaded 2-core runner doubles dbt's times), and never let two dbt runs share a
    // DuckDB file (each test works in its own scratch copy).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
