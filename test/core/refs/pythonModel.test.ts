import { describe, expect, it } from "vitest";
import { dynamic, python, ref, source } from "./helpers.js";

const model = (body: string): string => `import pandas as pd\n\ndef model(dbt, session):\n${body}\n`;

describe("Python models", () => {
  it('reads dbt.ref("m")', () => {
    expect(python(model('    df = dbt.ref("m")')).dependencies).toEqual([ref("m", 4)]);
  });

  it("reads dbt.ref('pkg', 'm')", () => {
    expect(python(model("    df = dbt.ref('pkg', 'm')")).dependencies).toEqual([ref("m", 4, { package: "pkg" })]);
  });

  it('reads dbt.ref("m", v=2) and version="3"', () => {
    expect(python(model('    a = dbt.ref("m", v=2)\n    b = dbt.ref("n", version="3")')).dependencies).toEqual([ref("m", 4, { version: "2" }), ref("n", 5, { version: "3" })]);
  });

  it('reads dbt.source("s", "t")', () => {
    expect(python(model('    df = dbt.source("s", "t")')).dependencies).toEqual([source("s", "t", 4)]);
  });

  it("reads calls spread over lines and chained calls", () => {
    expect(python(model('    df = dbt.ref(\n        "m"\n    ).to_pandas()[lambda d: d.x > 1]')).dependencies).toEqual([ref("m", 4)]);
  });

  it("reads string prefixes and implicit concatenation", () => {
    expect(python(model("    a = dbt.ref(r'raw_m')\n    b = dbt.ref('stg_' 'b')")).dependencies).toEqual([ref("raw_m", 4), ref("stg_b", 5)]);
  });

  it("ignores calls in # comments", () => {
    expect(python(model('    # df = dbt.ref("m")\n    x = 1  # dbt.source("s", "t")')).dependencies).toEqual([]);
  });

  it("ignores calls in docstrings and strings", () => {
    const body = '    """Reads dbt.ref("m").\n    Also dbt.source(\'s\', \'t\')."""\n    s = "dbt.ref(\'n\')"';
    expect(python(model(body)).dependencies).toEqual([]);
  });

  it("ignores ref-like calls on other objects", () => {
    expect(python(model('    a = session.ref("m")\n    b = my.dbt.ref("n")\n    c = ref("o")')).dependencies).toEqual([]);
  });

  it("reports non-literal arguments as dynamic", () => {
    expect(python(model('    name = "m"\n    a = dbt.ref(name)\n    b = dbt.ref(f"stg_{name}")')).dependencies).toEqual([dynamic("name", 5), dynamic('f"stg_{name}"', 6)]);
  });

  it("treats an f-string without replacement fields as a literal", () => {
    expect(python(model('    a = dbt.ref(f"m")')).dependencies).toEqual([ref("m", 4)]);
  });

  it("returns literal keyword arguments of dbt.config", () => {
    const result = python(model('    dbt.config(materialized="table", tags=["dim_user"], enabled=True, x=None, y=v)'));
    expect(result.config).toEqual({ materialized: "table", tags: ["dim_user"], enabled: true, x: null });
  });

  it("does not read Jinja in Python models", () => {
    expect(python("# {{ ref('m') }}\ns = \"{{ ref('n') }}\"").dependencies).toEqual([]);
  });

  it("reports an unparsable call as dynamic", () => {
    expect(python(model("    a = dbt.ref([x for x in y])")).dependencies).toEqual([dynamic("dbt.ref([x for", 4)]);
  });

  it("survives an unterminated string", () => {
    const result = python('df = dbt.ref("m")\nx = """never closed dbt.ref("n")');
    expect(result.dependencies).toEqual([ref("m", 1)]);
  });
});
