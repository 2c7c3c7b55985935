/**
 * dbt renders SQL that can read any environment variable (`env_var('GITHUB_TOKEN')`), and in CI
 * that SQL may come from a stranger's pull request. So dbt gets an allow-list, never the whole
 * process environment: what a process needs to run, dbt's own settings, and names the user adds.
 */
const BASE = ["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TEMP", "TMP", "USER", "LOGNAME", "SYSTEMROOT", "PYTHONIOENCODING"];

/** dbt's own settings (`DBT_PROFILES_DIR`, `DBT_TARGET_PATH`, ...). Secrets for profiles go through `extra`. */
const PREFIXES = ["DBT_"];

/** Never passed, even when a prefix matches: these reach dbt only if named in `extra`. */
const DENY = /TOKEN|SECRET|PASSWORD|PRIVATE_KEY|CREDENTIALS/i;

export function dbtEnvironment(source: NodeJS.ProcessEnv, extra: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const allowed = BASE.includes(name) || extra.includes(name) || (PREFIXES.some((p) => name.startsWith(p)) && !DENY.test(name));
    if (allowed) env[name] = value;
  }
  // Plain, parseable output and no phone-home from inside a CI job.
  env.DBT_SEND_ANONYMOUS_USAGE_STATS = "false";
  env.DBT_USE_COLORS = "false";
  env.PYTHONIOENCODING = "utf-8";
  return env;
}
