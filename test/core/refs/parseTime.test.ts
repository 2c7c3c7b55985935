import { describe, expect, it } from "vitest";
import { extractDependencies } from "../../../src/core/refs/extractDependencies.js";
import { indexMacros } from "../../../src/core/refs/indexMacros.js";
import { createParseContext, type ParseContextInput } from "../../../src/core/refs/parseContext.js";
import type { Extraction, MacroIndex } from "../../../src/core/types.js";
import { dynamic, ref, source } from "./helpers.js";

// Templates read the way dbt renders them at parse time (issue #13): conditions decided where dbt
// would decide them, literal data followed, every literal form read, macros that cannot be followed
// reported on the model. Each case checks both the answer and the conservative answer when the
// engine cannot know.

function macrosOf(...texts: string[]): MacroIndex {
  return indexMacros(
    texts.map((text, i) => ({ path: `macros/m${i}.sql`, text })),
    "proj",
  ).macros;
}

function read(text: string, options: { macros?: MacroIndex; context?: ParseContextInput; fastPath?: boolean } = {}): Extraction {
  return extractDependencies({
    text,
    language: "sql",
    macros: options.macros ?? new Map(),
    projectName: "proj",
    context: createParseContext({ projectName: "proj", ...options.context }),
    plainCallsFastPath: options.fastPath,
  });
}

/** Names of the refs (and `source:` / `dynamic:` entries) a template depends on, sorted. */
function names(text: string, options: Parameters<typeof read>[1] = {}): string[] {
  const result = read(text, options);
  // Both paths give the same answer (the fast path defers whenever it would not).
  expect(read(text, { ...options, fastPath: false }).dependencies).toEqual(result.dependencies);
  return result.dependencies.map((d) => (d.type === "ref" ? d.name : d.type === "source" ? `source:${d.source}.${d.table}` : `dynamic:${d.expression}`)).sort();
}

const ALT_OR_BASE = "{% if COND %} select * from {{ ref('alt') }} {% else %} select * from {{ ref('base') }} {% endif %}";
const branch = (cond: string) => ALT_OR_BASE.replace("COND", cond);

describe("conditions are decided as dbt decides them at parse time", () => {
  it("var() with a default", () => {
    expect(names(branch("var('use_alt', false) == true"))).toEqual(["base"]);
    expect(names(branch("var('use_alt', true) == true"))).toEqual(["alt"]);
  });

  it("a var set in dbt_project.yml, and the project's own scope over the top level", () => {
    expect(names(branch("var('use_alt', false)"), { context: { projectVars: { use_alt: true } } })).toEqual(["alt"]);
    expect(names(branch("var('use_alt', false)"), { context: { projectVars: { use_alt: true, proj: { use_alt: false } } } })).toEqual(["base"]);
    // Another package's scope does not apply to the project's models.
    expect(names(branch("var('use_alt', false)"), { context: { projectVars: { other_pkg: { use_alt: true } } } })).toEqual(["base"]);
  });

  it("--vars win over dbt_project.yml", () => {
    expect(names(branch("var('use_alt')"), { context: { projectVars: { use_alt: false, proj: { use_alt: false } }, cliVars: { use_alt: true } } })).toEqual(["alt"]);
  });

  it("a var with no value and no default decides nothing (both branches)", () => {
    expect(names(branch("var('nowhere')"))).toEqual(["alt", "base"]);
  });

  it("a var whose value holds Jinja decides nothing (dbt renders it)", () => {
    expect(names(branch("var('x') == 'a'"), { context: { projectVars: { x: "{{ target.name }}" } } })).toEqual(["alt", "base"]);
  });

  it("env_var() is its default; with no default it decides nothing", () => {
    expect(names(branch("env_var('DBT_ALT', 'no') == 'yes'"))).toEqual(["base"]);
    expect(names(branch("env_var('DBT_ALT', 'yes') == 'yes'"))).toEqual(["alt"]);
    expect(names(branch("env_var('DBT_ALT') == 'yes'"))).toEqual(["alt", "base"]);
  });

  it("target.* when the user configured a target; both branches when not", () => {
    expect(names(branch("target.name == 'prod'"), { context: { target: { name: "prod", type: "snowflake" } } })).toEqual(["alt"]);
    expect(names(branch("target.name == 'prod'"), { context: { target: { name: "dev" } } })).toEqual(["base"]);
    expect(names(branch("target.type in ('snowflake', 'bigquery')"), { context: { target: { type: "duckdb" } } })).toEqual(["base"]);
    expect(names(branch("target.name == 'prod'"))).toEqual(["alt", "base"]);
  });

  it("literal arithmetic, comparison and boolean logic", () => {
    expect(names(branch("1 + 2 * 3 == 7"))).toEqual(["alt"]);
    expect(names(branch("10 // 3 == 3 and 10 % 3 == 1 and 2 ** 3 == 8"))).toEqual(["alt"]);
    expect(names(branch("7 / 2 == 3"))).toEqual(["base"]);
    expect(names(branch("1 < 2 < 3"))).toEqual(["alt"]);
    expect(names(branch("3 > 2 > 2"))).toEqual(["base"]);
    expect(names(branch("not (true and false) or false"))).toEqual(["alt"]);
    expect(names(branch("'abc' < 'abd'"))).toEqual(["alt"]);
    expect(names(branch("1 == 1.0 and true == 1"))).toEqual(["alt"]);
    expect(names(branch("'1' == 1"))).toEqual(["base"]);
  });

  it("is / in tests and | as_bool", () => {
    expect(names(branch("'a' in ['a', 'b']"))).toEqual(["alt"]);
    expect(names(branch("'c' not in ['a', 'b']"))).toEqual(["alt"]);
    expect(names(branch("'ell' in 'hello'"))).toEqual(["alt"]);
    expect(names(branch("'k' in {'k': 1}"))).toEqual(["alt"]);
    expect(names(branch("none is none"))).toEqual(["alt"]);
    expect(names(branch("'x' is string and 3 is number and 3 is odd and 4 is even and 4 is divisibleby(2)"))).toEqual(["alt"]);
    expect(names(branch("undefined_thing is defined"))).toEqual(["base"]);
    expect(names(branch("var('flag', false) | as_bool"))).toEqual(["base"]);
    expect(names(branch("var('flag', 'false') | as_bool"))).toEqual(["alt"]); // as_bool is the identity when rendering: 'false' is a true string
  });

  it("string methods on literals", () => {
    expect(names(branch("'Prod'.lower() == 'prod'"))).toEqual(["alt"]);
    expect(names(branch("'a,b'.split(',') | length == 2"))).toEqual(["alt"]);
    expect(names(branch("'stg_x'.startswith('stg_')"))).toEqual(["alt"]);
    expect(names(branch("'  x '.strip() == 'x' and 'x'.upper() == 'X' and 'ab'.replace('b', 'c') == 'ac'"))).toEqual(["alt"]);
  });

  it("{% if false %}, elif chains, and a branch after an undecided one", () => {
    expect(names("{% if false %}{{ ref('never') }}{% endif %}{{ ref('always') }}")).toEqual(["always"]);
    expect(names("{% if 1 == 2 %}{{ ref('a') }}{% elif 2 == 2 %}{{ ref('b') }}{% else %}{{ ref('c') }}{% endif %}")).toEqual(["b"]);
    expect(names("{% if var('x') %}{{ ref('a') }}{% elif true %}{{ ref('b') }}{% else %}{{ ref('c') }}{% endif %}")).toEqual(["a", "b"]);
  });

  it("a condition that cannot be decided keeps every branch", () => {
    expect(names(branch("is_incremental()"))).toEqual(["alt", "base"]);
    expect(names(branch("execute"))).toEqual(["alt", "base"]);
    expect(names(branch("some_unknown.attr == 'x'"))).toEqual(["alt", "base"]);
  });

  it("inline `a if c else b`", () => {
    expect(names("{{ ref('alt' if var('x', 1) == 2 else 'base') }}")).toEqual(["base"]);
    expect(names("{{ ref('alt' if target.name == 'prod' else 'base') }}")).toEqual(["alt", "base"]);
  });

  it("`and` / `or` do not evaluate the side that does not run", () => {
    expect(names("{% if false and ref('never') %}{% endif %}{{ ref('x') }}")).toEqual(["x"]);
    expect(names("{% if true or ref('never') %}{% endif %}{{ ref('x') }}")).toEqual(["x"]);
    expect(names("{% if var('u') and ref('maybe') %}{% endif %}")).toEqual(["maybe"]);
  });

  it("loop filters", () => {
    const text = "{% set cs = [{'n': 'a', 'on': true}, {'n': 'b', 'on': false}] %}{% for c in cs if c.on %}{{ ref(c.n) }}{% endfor %}";
    expect(names(text)).toEqual(["a"]);
    expect(names("{% for c in ['a', 'b'] if c != 'b' %}{{ ref(c) }}{% endfor %}")).toEqual(["a"]);
    expect(names("{% for c in ['a', 'b'] if var('u') %}{{ ref(c) }}{% endfor %}")).toEqual(["a", "b"]);
  });

  it("{% set %} differently per branch", () => {
    expect(names("{% if var('v', 'x') == 'x' %}{% set m = 'mx' %}{% else %}{% set m = 'my' %}{% endif %}{{ ref(m) }}")).toEqual(["mx"]);
    expect(names("{% if var('v') == 'x' %}{% set m = 'mx' %}{% else %}{% set m = 'my' %}{% endif %}{{ ref(m) }}")).toEqual(["mx", "my"]);
  });

  it("{% do xs.append() %} under an if in a loop", () => {
    const text = "{% set xs = [] %}{% for f in ['a', 'b', 'c'] %}{% if f != 'b' %}{% do xs.append(f) %}{% endif %}{% endfor %}{% for x in xs %}{{ ref(x) }}{% endfor %}";
    expect(names(text)).toEqual(["a", "c"]);
  });

  it("loop.first / loop.last decide branches per iteration", () => {
    expect(names("{% for x in ['a', 'b'] %}{% if loop.last %}{{ ref(x) }}{% endif %}{% endfor %}")).toEqual(["b"]);
    expect(names("{% for x in ['a'] %}{{ ref(x) }}{% if not loop.last %}{{ ref('sep') }}{% endif %}{% endfor %}")).toEqual(["a"]);
  });

  it("a guard around source()", () => {
    const macros = macrosOf("{% macro src(table='') %}{% if table != '' %}select * from {{ source('s', table) }}{% endif %}{% endmacro %}");
    expect(names("{{ src() }}", { macros })).toEqual([]);
    expect(names("{{ src('t') }}", { macros })).toEqual(["source:s.t"]);
  });
});

describe("macro arguments pick branches", () => {
  const pick = macrosOf(
    "{% macro pick(kind) %}{% if kind == 'live' %}{{ ref('live_rows') }}{% else %}{{ ref('archived_rows') }}{% endif %}{% endmacro %}",
    "{% macro decoded(type='decoded') %}{% if type == 'decoded' %}{{ ref('decoded') }}{% else %}{{ ref('raw') }}{% endif %}{% endmacro %}",
    "{% macro trades(blockchain) %}{% if blockchain == 'ethereum' %}{{ ref('eth_trades') }}{% elif blockchain == 'polygon' %}{{ ref('poly_trades') }}{% endif %}{% endmacro %}",
    "{% macro models_for(kind) %}{% if kind == 'a' %}{{ return(['a1', 'a2']) }}{% else %}{{ return(['b1']) }}{% endif %}{% endmacro %}",
    "{% macro early(kind) %}{% if kind == 'a' %}{{ return(['a1']) }}{% endif %}{{ return(['z1']) }}{% endmacro %}",
  );

  it("a literal argument", () => {
    expect(names("{{ pick('live') }}", { macros: pick })).toEqual(["live_rows"]);
    expect(names("{{ pick('old') }}", { macros: pick })).toEqual(["archived_rows"]);
    expect(names("{{ trades(blockchain='ethereum') }}", { macros: pick })).toEqual(["eth_trades"]);
    expect(names("{{ pick(var('kind')) }}", { macros: pick })).toEqual(["archived_rows", "live_rows"]);
  });

  it("the default", () => {
    expect(names("{{ decoded() }}", { macros: pick })).toEqual(["decoded"]);
    expect(names("{{ decoded('raw') }}", { macros: pick })).toEqual(["raw"]);
  });

  it("a macro that returns a different list per branch, and a return() that ends the macro", () => {
    expect(names("{% for m in models_for('a') %}{{ ref(m) }}{% endfor %}", { macros: pick })).toEqual(["a1", "a2"]);
    expect(names("{% for m in models_for('b') %}{{ ref(m) }}{% endfor %}", { macros: pick })).toEqual(["b1"]);
    expect(names("{% for m in early('a') %}{{ ref(m) }}{% endfor %}", { macros: pick })).toEqual(["a1"]);
    expect(names("{% for m in early('b') %}{{ ref(m) }}{% endfor %}", { macros: pick })).toEqual(["z1"]);
    expect(names("{% for m in early(var('k')) %}{{ ref(m) }}{% endfor %}", { macros: pick })).toEqual(["a1", "z1"]);
  });
});

describe("literal data", () => {
  const json = macrosOf(`{% macro sources_list() %}
{% set j %}
[{"name": "stg_a"}, {"name": "stg_b"}]
{% endset %}
{{ return(fromjson(j)) }}
{% endmacro %}`);

  it("a macro that builds a list with fromjson from a set block: exact edges, not dynamic", () => {
    expect(names("{% for s in sources_list() %}select * from {{ ref(s['name']) }}{% endfor %}", { macros: json })).toEqual(["stg_a", "stg_b"]);
  });

  it("fromyaml reads YAML 1.1 booleans as PyYAML does", () => {
    const text = "{% set y %}\n- {name: a, keep: yes}\n- {name: b, keep: no}\n- {name: c, keep: y}\n- {name: d, keep: Off}\n{% endset %}{% for s in fromyaml(y) if s['keep'] %}{{ ref(s['name']) }}{% endfor %}";
    // `keep: y` is the string 'y' for PyYAML (true), `no` and `Off` are false.
    expect(names(text)).toEqual(["a", "c"]);
  });

  it("tojson round-trips and a set block with Jinja inside renders", () => {
    expect(names("{% set j = tojson({'n': 'x'}) %}{{ ref(fromjson(j)['n']) }}")).toEqual(["x"]);
    expect(names("{% set j = tojson([1, 'a']) %}{% if j == '[1, \"a\"]' %}{{ ref('ok') }}{% endif %}")).toEqual(["ok"]);
    expect(names("{% set p = 'stg' %}{% set n %}{{ p }}_orders{% endset %}{{ ref(n) }}")).toEqual(["stg_orders"]);
    expect(names("{% set n -%}\n  stg_x  \n{%- endset %}{{ ref(n) }}")).toEqual(["stg_x"]);
  });

  it("a set block whose text cannot be known stays unknown (dynamic)", () => {
    expect(names("{% set n %}{{ some_macro_output }}{% endset %}{{ ref(n) }}")).toEqual(["dynamic:n"]);
    expect(names("{% set n %}{% if var('u') %}a{% endif %}{% endset %}{{ ref(n) }}")).toEqual(["dynamic:n"]);
  });

  it("split, ~, list and dict literals, loops over them", () => {
    expect(names("{% for t in 'a b  c'.split() %}{{ ref('stg_' ~ t) }}{% endfor %}")).toEqual(["stg_a", "stg_b", "stg_c"]);
    expect(names("{% set d = {'x': ['p', 'q']} %}{% for k, vs in d.items() %}{% for v in vs %}{{ ref(k ~ v) }}{% endfor %}{% endfor %}")).toEqual(["xp", "xq"]);
    expect(names("{% for n in ['a', 'b'] | map('upper') %}{{ ref(n) }}{% endfor %}")).toEqual(["A", "B"]);
    expect(names("{% for n in [{'n': 'a'}, {'n': 'b'}] | map(attribute='n') %}{{ ref(n) }}{% endfor %}")).toEqual(["a", "b"]);
  });

  it("a dict whose key is not known is not iterated as if it were known", () => {
    expect(names("{% set d = {var('k'): 1} %}{% for k in d %}{{ ref(k) }}{% endfor %}")).toEqual(["dynamic:k"]);
  });
});

describe("Jinja's literal syntax", () => {
  const cases: [string, string][] = [
    ["0xff", "255"],
    ["0XFF", "255"],
    ["0x_ff", "255"],
    ["0o17", "15"],
    ["0O17", "15"],
    ["0b101", "5"],
    ["0B1_01", "5"],
    ["1_000", "1000"],
    ["1e3", "1000.0"],
    ["1E-5", "1e-05"],
    ["2.5e+20", "2.5e+20"],
    ["1_0.5_0", "10.5"],
    ["0", "0"],
    ["0.0", "0.0"],
    ["0xa0200000000000000000000000000000000000ff", "914152147178167303817832163432401634853149212927"],
  ];
  for (const [literal, text] of cases) {
    it(`reads ${literal} as ${text}`, () => {
      expect(names(`{{ ref('m' ~ ${literal}) }}`)).toEqual([`m${text}`]);
    });
  }

  const escapes: [string, string][] = [
    ["'a\\nb'", "a\nb"],
    ["'a\\tb'", "a\tb"],
    ["'a\\\\b'", "a\\b"],
    ["'it\\'s'", "it's"],
    ['"q\\"q"', 'q"q'],
    ["'\\x41'", "A"],
    ["'\\101'", "A"],
    ["'\\u00e9'", "é"],
    ["'\\U0001F600'", "😀"],
    ["'\\a\\b\\f\\v\\r'", "\x07\b\f\v\r"],
    ["'a\\\nb'", "ab"],
    ["'\\q'", "\\q"],
  ];
  for (const [literal, value] of escapes) {
    it(`decodes the string ${JSON.stringify(literal)}`, () => {
      expect(names(`{% if ${literal} == ${JSON.stringify(value).replace(/\\u007f/g, "")} %}{{ ref('yes') }}{% else %}{{ ref('no') }}{% endif %}`)).toEqual(["yes"]);
    });
  }

  it("a macro whose signature has hex, octal, binary and scientific defaults is read and followed", () => {
    const macros = macrosOf("{% macro trades(blockchain, fee_address = 0xa020e2c0b5bd9bd6d4f9e5ec4e3dd1c3f6c0e5a4, o=0o17, b=0b101, e=1e3, u=1_000) %}{{ ref('fees') }}{% endmacro %}");
    expect(macros.get("trades")?.unreadable).toBeUndefined();
    const result = read("select 1 {{ trades('ethereum') }}", { macros });
    expect(result.dependencies).toEqual([ref("fees", 1, { via: ["trades"] })]);
    expect(result.unresolved).toEqual([]);
  });

  it("a hex literal in a call's arguments", () => {
    const macros = macrosOf("{% macro addr(a) %}{% if a == 255 %}{{ ref('ff') }}{% endif %}{% endmacro %}");
    expect(names("{{ addr(0xff) }}", { macros })).toEqual(["ff"]);
  });
});

describe("macros the engine cannot follow are reported on the model", () => {
  it("a call to a macro defined nowhere", () => {
    const result = read("select * from {{ ref('a') }}\n{{ not_a_macro('x') }}");
    expect(result.unresolved).toEqual([{ macro: "not_a_macro", line: 2, reason: expect.stringContaining("'not_a_macro', which is defined nowhere") }]);
  });

  it("a call to a package macro that the package does not define, and through a macro", () => {
    const macros = macrosOf("{% macro outer() %}{{ missing_inner() }}{% endmacro %}");
    const result = read("{{ dbt_utils.nothing_here() }}\n{{ outer() }}", { macros, context: { packages: ["dbt_utils"] } });
    expect(result.unresolved.map((u) => [u.macro, u.line])).toEqual([
      ["dbt_utils.nothing_here", 1],
      ["missing_inner", 2],
    ]);
    expect(result.unresolved[1]?.reason).toContain("in macro outer");
  });

  it("a package that is not installed: reported when packages are installed, not when none was there to read", () => {
    expect(read("{{ dbt_utils.star('x') }}", { context: { packages: ["other_pkg"] } }).unresolved.map((u) => u.reason)).toEqual(["calls macro 'dbt_utils.star', but no package 'dbt_utils' is installed"]);
    expect(read("{{ dbt_utils.star('x') }}").unresolved).toEqual([]);
    // Names dbt binds are not packages: their methods are not macro calls.
    expect(read("{{ config.get('x') }} {{ adapter.quote('x') }} {{ this.identifier.upper() }} {{ exceptions.raise_compiler_error('x') if false }}", { context: { packages: ["other_pkg"] } }).unresolved).toEqual([]);
  });

  it("a macro whose signature cannot be read is named with its file", () => {
    const macros = macrosOf("{% macro broken(a = ) %}{{ ref('x') }}{% endmacro %}");
    const result = read("{{ broken(1) }}", { macros });
    expect(result.unresolved).toEqual([{ macro: "broken", line: 1, reason: expect.stringMatching(/'broken' \(macros\/m0\.sql:1\).*cannot read/) }]);
  });

  it("dbt's built-ins, global macros and Jinja's names are not reported", () => {
    const text =
      "{{ is_incremental() }} {{ run_query('x') }} {{ dbt.date_trunc('day', 'x') }} {{ adapter.get_relation(1) }} {{ log('x') }} {{ exceptions.warn('x') }} {{ modules.datetime.date.today() }} {{ range(3) }} {{ current_timestamp() }} {{ dbt.current_timestamp() }} {{ statement('x') }}";
    expect(read(text).unresolved).toEqual([]);
  });

  it("project macros, local macros and variables holding macros are not reported", () => {
    const macros = macrosOf("{% macro mine() %}x{% endmacro %}");
    expect(read("{% macro local() %}{% endmacro %}{{ local() }} {{ mine() }} {{ proj.mine() }} {% set f = mine %}{{ f() }}", { macros }).unresolved).toEqual([]);
  });

  it("without a parse context nothing is reported (callers that know no macros)", () => {
    expect(extractDependencies({ text: "{{ not_a_macro() }}", language: "sql" }).unresolved).toEqual([]);
  });
});

describe("the file's own config(enabled=...)", () => {
  const enabled = (text: string, context: ParseContextInput = {}) => {
    const full = read(text, { context, fastPath: false }).enabled;
    expect(read(text, { context }).enabled).toBe(full);
    return full;
  };

  it("literals", () => {
    expect(enabled("{{ config(enabled=false) }} select 1")).toBe(false);
    expect(enabled("{{ config(enabled=True) }} select 1")).toBe(true);
    expect(enabled("{{ config(materialized='table') }} select 1")).toBe(null);
    expect(enabled("select 1")).toBe(null);
  });

  it("var() with | as_bool, not, comparisons and env_var defaults", () => {
    expect(enabled("{{ config(enabled = var('y_on', false) | as_bool) }} select 1")).toBe(false);
    expect(enabled("{{ config(enabled = var('y_on', false) | as_bool) }} select 1", { projectVars: { y_on: true } })).toBe(true);
    expect(enabled("{{ config(enabled = var('y_on', false) | as_bool) }} select 1", { projectVars: { y_on: true }, cliVars: { y_on: false } })).toBe(false);
    expect(enabled("{{ config(enabled = not var('off', false)) }}")).toBe(true);
    expect(enabled("{{ config(enabled = var('kind', 'a') == 'b') }}")).toBe(false);
    expect(enabled("{{ config(enabled = env_var('DBT_ON', 'true') == 'true') }}")).toBe(true);
    expect(enabled("{{ config(enabled = target.name == 'prod') }}", { target: { name: "prod" } })).toBe(true);
  });

  it("uncertain when it cannot be decided", () => {
    expect(enabled("{{ config(enabled = var('y_on')) }}")).toBe("uncertain");
    expect(enabled("{{ config(enabled = env_var('DBT_ON') == 'true') }}")).toBe("uncertain");
    expect(enabled("{{ config(enabled = target.name == 'prod') }}")).toBe("uncertain");
    expect(enabled("{% if var('u') %}{{ config(enabled=false) }}{% endif %}")).toBe("uncertain");
    expect(enabled("{{ config(**var('cfg', {})) }}")).toBe("uncertain");
    // A branch that is decided is as certain as the file.
    expect(enabled("{% if var('u', true) %}{{ config(enabled=false) }}{% endif %}")).toBe(false);
    expect(enabled("{% if var('u', false) %}{{ config(enabled=false) }}{% endif %}")).toBe(null);
  });

  it("the last call wins, and a conditional one that agrees keeps the verdict", () => {
    expect(enabled("{{ config(enabled=false) }}{{ config(enabled=true) }}")).toBe(true);
    expect(enabled("{{ config(enabled=false) }}{% if var('u') %}{{ config(enabled=false) }}{% endif %}")).toBe(false);
    expect(enabled("{{ config(enabled=false) }}{% if var('u') %}{{ config(enabled=true) }}{% endif %}")).toBe("uncertain");
  });
});

it("ref(var('x', 'default')) is the default when nothing sets the var, as dbt parse records it", () => {
  // The bundled example's f_contract_revenue: dbt parse records ref('mas_contracts') (verify's 53rd edge).
  const text = "select 1\n{% set contracts = ref(var('contract_model', 'mas_contracts')) %}\nselect * from {{ contracts }}";
  expect(read(text).dependencies).toEqual([ref("mas_contracts", 2)]);
  expect(names(text, { context: { projectVars: { contract_model: "recon" } } })).toEqual(["recon"]);
  expect(names(text, { context: { projectVars: { contract_model: "recon" }, cliVars: { contract_model: "month_end" } } })).toEqual(["month_end"]);
  expect(names("{{ ref(var('m', 'a')) }} {{ source('raw', var('t', 'users')) }}")).toEqual(["a", "source:raw.users"]);
});

it("dependencies keep their lines and via through decided branches", () => {
  const macros = macrosOf("{% macro pick(kind) %}\n{% if kind == 'live' %}{{ ref('live_rows') }}{% else %}{{ source('s', 'old') }}{% endif %}{% endmacro %}");
  expect(read("select 1\n{{ pick('live') }}", { macros }).dependencies).toEqual([ref("live_rows", 2, { via: ["pick"] })]);
  expect(read("select 1\n{{ pick('x') }}", { macros }).dependencies).toEqual([source("s", "old", 2, ["pick"])]);
  expect(read("{{ ref(var('m')) }}").dependencies).toEqual([dynamic("var('m')")]);
});

describe("var() scopes as dbt's VarProvider merges them", () => {
  const lookup = (input: ParseContextInput, name: string) => createParseContext(input).vars.get(name);

  it("a root-project node: --vars, then vars.<project>, then the top level", () => {
    expect(lookup({ projectName: "proj", projectVars: { x: 1 } }, "x")).toBe(1);
    expect(lookup({ projectName: "proj", projectVars: { x: 1, proj: { x: 2 } } }, "x")).toBe(2);
    expect(lookup({ projectName: "proj", projectVars: { x: 1, proj: { x: 2 } }, cliVars: { x: 3 } }, "x")).toBe(3);
    expect(lookup({ projectName: "proj", projectVars: { other: { x: 2 } } }, "x")).toBeUndefined();
  });

  it("a package's node: the root project's vars (and its scope for the package) win over the package's own", () => {
    const node = { package: "pkg", packageVars: { on: true, pkg: { scoped: "own" } } };
    expect(lookup({ projectName: "proj", node }, "on")).toBe(true);
    expect(lookup({ projectName: "proj", node }, "scoped")).toBe("own");
    expect(lookup({ projectName: "proj", projectVars: { on: false }, node }, "on")).toBe(false);
    expect(lookup({ projectName: "proj", projectVars: { pkg: { scoped: "root" } }, node }, "scoped")).toBe("root");
    expect(lookup({ projectName: "proj", projectVars: { proj: { on: false } }, node }, "on")).toBe(true); // the root's own scope is not the package's
    expect(lookup({ projectName: "proj", projectVars: { on: false }, cliVars: { on: "cli" }, node }, "on")).toBe("cli");
  });
});

describe("adapter.dispatch", () => {
  const macros = macrosOf(
    "{% macro datediff(a) %}{{ return(adapter.dispatch('datediff')(a)) }}{% endmacro %}",
    "{% macro default__datediff(a) %}{{ ref('default_impl') }}{% endmacro %}",
    "{% macro snowflake__datediff(a) %}{{ ref('sf_impl') }}{% endmacro %}",
    "{% macro spark__datediff(a) %}{{ assert_not_null(a) }}{{ ref('spark_impl') }}{% endmacro %}",
  );

  it("follows every implementation when the adapter is not known, without reporting other adapters' own macros", () => {
    const result = read("{{ datediff('x') }}", { macros });
    expect(result.dependencies.map((d) => (d.type === "ref" ? d.name : "")).sort()).toEqual(["default_impl", "sf_impl", "spark_impl"]);
    expect(result.unresolved).toEqual([]);
  });

  it("follows the configured adapter's implementation, else the default", () => {
    expect(names("{{ datediff('x') }}", { macros, context: { target: { type: "snowflake" } } })).toEqual(["sf_impl"]);
    expect(names("{{ datediff('x') }}", { macros, context: { target: { type: "duckdb" } } })).toEqual(["default_impl"]);
    // Spark's own macro is reported when spark is the configured adapter and it is defined nowhere here.
    expect(read("{{ datediff('x') }}", { macros, context: { target: { type: "spark" } } }).unresolved.map((u) => u.macro)).toEqual(["assert_not_null"]);
  });

  it("sees an implementation added to an index after the index was used (the candidates are worked out once per index)", () => {
    const grown = new Map(macrosOf("{% macro dd(a) %}{{ return(adapter.dispatch('dd')(a)) }}{% endmacro %}", "{% macro default__dd(a) %}{{ ref('default_dd') }}{% endmacro %}"));
    expect(names("{{ dd('x') }}", { macros: grown })).toEqual(["default_dd"]);
    indexMacros([{ path: "macros/late.sql", text: "{% macro postgres__dd(a) %}{{ ref('pg_dd') }}{% endmacro %}" }], "proj", { into: grown });
    expect(names("{{ dd('x') }}", { macros: grown })).toEqual(["default_dd", "pg_dd"]);
    // Replaced under its name: the index keeps its size.
    for (const [name, definition] of macrosOf("{% macro postgres__dd(a) %}{{ ref('pg_dd_v2') }}{% endmacro %}")) grown.set(name, definition);
    expect(names("{{ dd('x') }}", { macros: grown })).toEqual(["default_dd", "pg_dd_v2"]);
  });
});

it("a macro's own output does not leak into a set block around its call; its return value does", () => {
  const macros = macrosOf("{% macro m() %}ignored {{ 'also ignored' }}{{ return('stg_m') }}{% endmacro %}");
  expect(names("{% set n %}{{ m() }}{% endset %}{{ ref(n) }}", { macros })).toEqual(["stg_m"]);
});

it("var values are what PyYAML read (the project's reader): a quoted 'yes' is a string, an unquoted yes is true", () => {
  expect(names(branch("var('use_alt') == true"), { context: { projectVars: { use_alt: "yes" } } })).toEqual(["base"]);
  expect(names(branch("var('use_alt') == true"), { context: { projectVars: { use_alt: true } } })).toEqual(["alt"]);
  expect(names(branch("var('cfg')['on'] == true"), { context: { projectVars: { cfg: { on: "Off" } } } })).toEqual(["base"]);
});
