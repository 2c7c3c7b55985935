/** Names whose values are secrets wherever they come from (dbt's own `DBT_ENV_SECRET_` included). */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PRIVATE_KEY|CREDENTIALS|API_KEY|ACCESS_KEY|^DBT_ENV_SECRET_/i;

/**
 * The values to redact from dbt output: every variable whose name says it is a secret, whether or
 * not dbt was given it (a profile can hold the same value in plain text). Names passed through with
 * --pass-env count too when they look secret; an account or user name is left readable.
 */
export function secretValues(env: Readonly<Record<string, string | undefined>>, passed: readonly string[] = []): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && SECRET_NAME.test(name)) values.add(value);
  }
  for (const name of passed) {
    const value = env[name];
    if (value && SECRET_NAME.test(name)) values.add(value);
  }
  return [...values];
}
