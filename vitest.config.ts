import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Tiers by file name (README, "Testing"): `*.test.ts` pure, `*.int.test.ts` real dbt and git,
// `*.e2e.test.ts` the built bundle.
const SLOW = ["test/**/*.int.test.ts", "test/**/*.e2e.test.ts"];
// Pure files that change process-wide state (process.env, a module mock), or that measure this
// process's CPU time (linearGrowth failed once in a worker shared with other files, most likely their
// garbage collected inside one of its measurements): each in its own process.
const PROCESS_STATE = [
  "test/hardening/linearGrowth.test.ts",
  "test/hardening/stateDocumentFault.test.ts",
  "test/core/render/renderedStructure.test.ts",
  "test/hardening/actionInputs.test.ts",
  "test/hardening/pathInputs.test.ts",
  // Asks V8 where the disk source's objects are: other files' reads in the same process would change V8's answer.
  "test/bench/diskFileSourceGenerations.test.ts",
];

// The tests' temporary folder on /dev/shm when it is a tmpfs with room (test/helpers/tmpfsSetup.ts):
// the suite makes thousands of small files, each a cost in system CPU on a disk, none on tmpfs.
const TMPFS_SETUP = "test/helpers/tmpfsSetup.ts";

export default defineConfig({
  test: {
    // Integration tests run real dbt and git; give them room (a loaded 2-core runner doubles dbt's times), and never let two dbt runs share a
    // DuckDB file (each test works in its own scratch copy).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // vitest's default is one worker less than the cores: on a 2-core runner, one file at a time, while
    // most of an integration test's time is a dbt or git child process the worker only waits on.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        extends: true,
        // Pure tests share their worker's module cache (GitHub's REST and webhook descriptions are
        // loaded and compiled once per worker, not once per file); none changes process-wide state.
        test: { name: "pure", include: ["test/**/*.test.ts"], exclude: [...SLOW, ...PROCESS_STATE], isolate: false, globalSetup: [TMPFS_SETUP] },
      },
      // One dbt fork server for every file and every bundle a test starts, not one per process (each pays dbt's imports).
      { extends: true, test: { name: "isolated", include: [...SLOW, ...PROCESS_STATE], globalSetup: [TMPFS_SETUP, "test/helpers/forkServerSetup.ts"] } },
    ],
  },
});
