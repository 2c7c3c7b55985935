import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { bundleEnvironment } from "./bundleEnvironment.js";
import { REPO_ROOT } from "./scratchExample.js";

/**
 * The CLI bundle the end-to-end tests run: the committed `dist/cli.js`, or `cli.js` in the folder
 * `DBT_UNSKIP_TEST_DIST` names (a bundle built elsewhere, to try a change before dist/ is rebuilt).
 */
export const CLI_BUNDLE = join(process.env.DBT_UNSKIP_TEST_DIST ?? join(REPO_ROOT, "dist"), "cli.js");

/** Runs the bundle as a user runs it: plain node, no node_modules beside it, a bare environment (and the suite's shared dbt fork servers). */
export function runBundledCli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_BUNDLE, ...args], { cwd, encoding: "utf8", env: bundleEnvironment() });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
