import { dbtEnvironment } from "../../src/adapters/dbt/dbtEnvironment.js";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { FORK_SERVER_ATTACH_ENV_VAR, interpreterEnvironment, shareForkServer } from "../../src/adapters/dbt/forkServer.js";
import { BUNDLE_ENVIRONMENT } from "./bundleEnvironment.js";
import { REPO_ROOT } from "./scratchExample.js";

/**
 * vitest's global setup for the files that run dbt: one dbt fork server (src/adapters/dbt/forkServer.ts)
 * shared by every test file and every bundle a test starts, instead of one per process, each paying
 * dbt's imports. Each dbt call still goes through the production client (`dbtForkServer.py run`),
 * and the server still checks each call's environment; only who started the server differs. Two
 * servers: one for the test files' own environment, one for the bundles, which tests start with
 * PATH and HOME only (test/helpers/bundleEnvironment.ts adds the variable naming them).
 * dbtForkServer.int.test.ts ignores them: it tests the servers a process starts for itself.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[FORK_SERVER_ATTACH_ENV_VAR] !== undefined) return undefined;
  let command: string;
  try {
    command = (await findDbt({ repoRoot: REPO_ROOT })).command;
  } catch {
    // No dbt: the tests that need it say so themselves.
    return undefined;
  }
  const environments = new Map<string, Record<string, string>>();
  for (const env of [dbtEnvironment(process.env), dbtEnvironment(BUNDLE_ENVIRONMENT)]) environments.set(JSON.stringify(interpreterEnvironment(env)), env);
  const shared = (await Promise.all([...environments.values()].map((env) => shareForkServer(command, env)))).filter((s) => s !== null);
  if (shared.length > 0) process.env[FORK_SERVER_ATTACH_ENV_VAR] = JSON.stringify(shared.map((s) => s.entry));
  return async () => {
    delete process.env[FORK_SERVER_ATTACH_ENV_VAR];
    await Promise.all(shared.map((s) => s.stop()));
  };
}
