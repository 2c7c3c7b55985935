import { FORK_SERVER_ATTACH_ENV_VAR } from "../../src/adapters/dbt/forkServer.js";
import { TEST_TMPFS_ENV_VAR } from "./tmpfsSetup.js";

/** What a test gives a bundle (the Action, the bot, the CLI) it starts: PATH and HOME, nothing else of this process. */
export const BUNDLE_ENVIRONMENT: Readonly<Record<string, string>> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };

/**
 * BUNDLE_ENVIRONMENT and, when the suite's global setup shares dbt fork servers
 * (test/helpers/forkServerSetup.ts), the variable that names them: the bundle's dbt calls go to
 * those servers through the production client instead of a server of its own. When the global setup
 * put the tests' temporary folder on tmpfs (test/helpers/tmpfsSetup.ts), TMPDIR too: the bundle's
 * scratch copies go there as well, and are removed with it.
 */
export function bundleEnvironment(): Record<string, string> {
  const attach = process.env[FORK_SERVER_ATTACH_ENV_VAR];
  const scratch = process.env[TEST_TMPFS_ENV_VAR];
  return { ...BUNDLE_ENVIRONMENT, ...(attach ? { [FORK_SERVER_ATTACH_ENV_VAR]: attach } : {}), ...(scratch ? { TMPDIR: scratch } : {}) };
}
