/**
 * Whether dbt will enable a node (model, seed, snapshot, source table), as far as a static reading
 * can tell. `uncertain` is the honest middle: a value dbt renders with Jinja at parse time (`+enabled:
 * "{{ var('x', false) }}"`), or one it would reject; whatever depends on such a node needs a person.
 */
export type Enabledness = { state: "enabled" } | { state: "disabled"; by: string } | { state: "uncertain"; why: string };

export const ENABLED: Enabledness = { state: "enabled" };

/**
 * One `enabled` value as read from YAML (PyYAML's reading: `no`, `Off` are already false), set at
 * `where` (`dbt_project.yml models.shop.staging`). Null when the value does not set anything.
 */
export function enablednessOfYamlValue(value: unknown, where: string): Enabledness | null {
  if (value === undefined || value === null) return null;
  if (value === true) return ENABLED;
  if (value === false) return { state: "disabled", by: `enabled: false in ${where}` };
  if (typeof value === "string" && /\{\{|\{%/.test(value)) {
    // dbt renders it (var(), env_var(), target) before reading it as a boolean.
    return { state: "uncertain", why: `enabled: ${JSON.stringify(value)} in ${where} is rendered by dbt and cannot be decided statically` };
  }
  return { state: "uncertain", why: `enabled: ${JSON.stringify(value)} in ${where} is not a boolean` };
}

/** The first level that sets anything wins (dbt: model file, then properties YAML, then dbt_project.yml). */
export function firstSet(...levels: (Enabledness | null | undefined)[]): Enabledness {
  for (const level of levels) if (level) return level;
  return ENABLED;
}
