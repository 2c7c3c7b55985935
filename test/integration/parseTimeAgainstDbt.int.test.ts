import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt } from "../../src/adapters/dbt/spawnDbt.js";
import { manifestDependencies, type ManifestNodeDependencies } from "../../src/core/dbt/manifestDependencies.js";
import { buildProject, type DbtProject } from "../../src/core/project/buildProject.js";
import type { Dependency } from "../../src/core/types.js";
import { readProjectSnapshot } from "../../src/usecases/readProjectSnapshot.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";

// Issue #13: each parse-time pattern the static engine now evaluates, in one project the pinned dbt
// parses. For every model, dbt's recorded refs/sources and its enabled-ness must be exactly what
// the engine reads (same --vars and target as dbt is given).

const MACROS = `
{% macro pick(kind) %}{% if kind == 'live' %}{{ ref('alt') }}{% else %}{{ ref('base') }}{% endif %}{% endmacro %}
{% macro decoded(type="decoded") %}{% if type == 'decoded' %}{{ ref('base') }}{% else %}{{ ref('alt') }}{% endif %}{% endmacro %}
{% macro trades(blockchain, fee_address = 0xa020e2c0b5bd9bd6d4f9e5ec4e3dd1c3f6c0e5a4, o=0o17, b=0b101, e=1e3, u=1_000) %}{% if blockchain == 'ethereum' %}{{ ref('base') }}{% else %}{{ ref('alt') }}{% endif %}{% endmacro %}
{% macro models_for(kind) %}{% if kind == 'a' %}{{ return(['base']) }}{% else %}{{ return(['alt']) }}{% endif %}{% endmacro %}
{% macro early(kind) %}{% if kind == 'a' %}{{ return(['base']) }}{% endif %}{{ return(['alt']) }}{% endmacro %}
{% macro from_json() %}{% set j %}
[{"name": "base"}, {"name": "alt"}]
{% endset %}{{ return(fromjson(j)) }}{% endmacro %}
{% macro guarded(table='') %}{% if table != '' %}select * from {{ source('raw', table) }}{% endif %}{% endmacro %}
`;

const MODELS: Record<string, string> = {
  "base.sql": "select 1 as id",
  "alt.sql": "select 1 as id",
  "var_default.sql": "{% if var('use_alt', false) == true %} select * from {{ ref('alt') }} {% else %} select * from {{ ref('base') }} {% endif %}",
  "var_project.sql": "{% if var('proj_flag') %}{{ ref('alt') }}{% else %}{{ ref('base') }}{% endif %}",
  "var_scoped.sql": "{% if var('scoped') == 'yes' %}{{ ref('alt') }}{% else %}{{ ref('base') }}{% endif %}",
  "var_cli.sql": "{% if var('cli_on', false) %}{{ ref('alt') }}{% else %}{{ ref('base') }}{% endif %}",
  "env_default.sql": "{% if env_var('DBT_UNSKIP_NOT_SET', 'no') == 'yes' %}{{ ref('alt') }}{% else %}{{ ref('base') }}{% endif %}",
  "target_name.sql": "{% if target.name == 'prod' %}{{ ref('alt') }}{% else %}{{ ref('base') }}{% endif %}",
  "literal_logic.sql": "{% if (1 + 2 * 3 == 7) and not (3 > 2 > 2) and 'a' in ['a'] and 'x' is string %}{{ ref('base') }}{% else %}{{ ref('alt') }}{% endif %}",
  "as_bool_string.sql": "{% if 'false' | as_bool %}{{ ref('alt') }}{% else %}{{ ref('base') }}{% endif %}",
  "string_methods.sql": "{% if 'Stg_X'.lower().startswith('stg_') and 'a,b'.split(',') | length == 2 %}{{ ref('base') }}{% else %}{{ ref('alt') }}{% endif %}",
  "if_false.sql": "{% if false %}{{ ref('alt') }}{% endif %}{{ ref('base') }}",
  "inline_if.sql": "{{ ref('alt' if 7 / 2 == 3 else 'base') }}",
  "loop_filter.sql": "{% for c in [{'n': 'alt', 'on': false}, {'n': 'base', 'on': true}] if c.on %}{{ ref(c.n) }}{% endfor %}",
  "set_branches.sql": "{% if var('kind', 'x') == 'x' %}{% set m = 'base' %}{% else %}{% set m = 'alt' %}{% endif %}{{ ref(m) }}",
  "append_in_loop.sql": "{% set xs = [] %}{% for f in ['base', 'alt'] %}{% if f != 'alt' %}{% do xs.append(f) %}{% endif %}{% endfor %}{% for x in xs %}{{ ref(x) }}{% endfor %}",
  "macro_literal_arg.sql": "{{ pick('live') }}",
  "macro_default.sql": "{{ decoded() }}",
  "macro_hex_default.sql": "{{ trades(blockchain='ethereum') }}",
  "macro_hex_arg.sql": "{% if 0x_ff == 255 and 1e3 == 1000 and 0o17 == 15 and 0b101 == 5 and '\\x41\\u0042' == 'AB' %}{{ ref('base') }}{% else %}{{ ref('alt') }}{% endif %}",
  "macro_return_branch.sql": "{% for m in models_for('b') %}{{ ref(m) }}{% endfor %}",
  "macro_early_return.sql": "{% for m in early('a') %}{{ ref(m) }}{% endfor %}",
  "fromjson_set_block.sql": "{% for s in from_json() %}select * from {{ ref(s['name']) }}{% endfor %}",
  "fromyaml_bools.sql": "{% set y %}\n- {name: alt, keep: n}\n- {name: base, keep: no}\n{% endset %}{% for s in fromyaml(y) if s['keep'] %}{{ ref(s['name']) }}{% endfor %}",
  "tojson_roundtrip.sql": "{% set j = tojson({'n': 'base'}) %}{{ ref(fromjson(j)['n']) }}",
  "set_block_trim.sql": "{% set n -%}\n  base  \n{%- endset %}{{ ref(n) }}",
  "guard_empty.sql": "select 1 {{ guarded() }}",
  "guard_table.sql": "{{ guarded('orders') }}",
  "enabled_var.sql": "{{ config(enabled = var('y_on', false) | as_bool) }} select 1",
  "enabled_not.sql": "{{ config(enabled = not var('off_flag', false)) }} select 1",
  "enabled_project_var.sql": "{{ config(enabled = var('proj_flag') == false) }} select 1",
};

const PROJECT_YML = `name: parse_time
version: '1.0'
config-version: 2
profile: parse_time
vars:
  proj_flag: true
  parse_time:
    scoped: 'yes'
`;
const SOURCES_YML = "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n";
const CLI_VARS = { cli_on: true };

const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-parse-time-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let project: DbtProject;
let fromDbt: Map<string, ManifestNodeDependencies>;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
}

beforeAll(async () => {
  write("dbt_project.yml", PROJECT_YML);
  write("macros/patterns.sql", MACROS);
  write("models/sources.yml", SOURCES_YML);
  for (const [file, text] of Object.entries(MODELS)) write(`models/${file}`, text);
  write("profiles.yml", `parse_time:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${JSON.stringify(join(scratch, "db.duckdb"))}\n      threads: 1\n`);
  const dbt = await findDbt({ repoRoot: REPO_ROOT });
  const result = await spawnDbt({
    command: dbt.command,
    args: ["parse", "--no-partial-parse", "--vars", JSON.stringify(CLI_VARS)],
    projectDir: scratch,
    profilesDir: scratch,
    timeoutMs: 300_000,
  });
  expect(result.exitCode, result.otherOutput).toBe(0);
  const manifest = JSON.parse(readFileSync(join(scratch, "target", "manifest.json"), "utf8")) as unknown;
  fromDbt = new Map(manifestDependencies(manifest, "parse_time").map((n) => [n.file, n]));
  const built = buildProject(await readProjectSnapshot(createDiskFileSource(scratch), "."), { vars: CLI_VARS, target: { name: "dev", type: "duckdb" } });
  if ("problem" in built) throw new Error(built.problem.message);
  project = built.project;
}, 320_000);

const key = (dep: Dependency) => (dep.type === "source" ? `source:${dep.source}.${dep.table}` : dep.type === "ref" ? `ref:${dep.name}` : `dynamic:${dep.expression}`);

it("every pattern: the engine reads what dbt records, and enables what dbt enables", () => {
  expect(project.models.map((m) => m.file).sort()).toEqual([...fromDbt.keys()].sort());
  for (const model of project.models) {
    const node = fromDbt.get(model.file)!;
    expect([...new Set(model.extraction.dependencies.map(key))].sort(), model.file).toEqual([...new Set(node.dependencies.map(key))].sort());
    expect(model.state === "active", `${model.file} enabled`).toBe(node.enabled);
    expect(model.extraction.unresolved, model.file).toEqual([]);
  }
  // The fixture exercises both answers of the enabled verdicts.
  expect(
    project.models
      .filter((m) => m.state === "disabled")
      .map((m) => m.file)
      .sort(),
  ).toEqual(["models/enabled_project_var.sql", "models/enabled_var.sql"]);
});
