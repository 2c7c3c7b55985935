import { describe, expect, it } from "vitest";
import { reportOf, statuses } from "../../helpers/memoryProject.js";
import { renderStatusText } from "../../../src/core/render/renderStatusText.js";
import { renderDashboard } from "../../../src/core/render/renderDashboard.js";
import { renderStatusReply } from "../../../src/core/chatOps/renderReplies.js";

const SOURCES = `version: 2
sources:
  - name: raw
    tables:
      - name: users
      - name: contracts
      - name: old_table
        config:
          enabled: false
`;

describe("readiness", () => {
  it("a paused model whose name has a space is never called ready: dbt 1.10+ refuses resource names with spaces (seen on a corpus copy: status said ready, restore's dbt parse re-skipped it)", () => {
    const report = reportOf({
      "models/stg.sql": "select 1",
      "models/x y.sql.skip": "select * from {{ ref('stg') }}",
      "models/after.sql.skip": "select * from {{ ref('x y') }}",
      "models/x_y.sql.skip": "select * from {{ ref('stg') }}",
    });
    const spaced = report.models.find((m) => m.name === "x y")!;
    expect(spaced.status).toBe("needs-investigation");
    expect(spaced.reasons).toContain("its name has a space: dbt refuses resource names with spaces (an error by default since dbt 1.10); rename the file");
    expect(report.models.find((m) => m.name === "after")!.status).toBe("needs-investigation");
    expect(report.models.find((m) => m.name === "x_y")!.status).toBe("ready");
  });

  it("a paused model whose file name dbt ignores or takes as another resource is never called ready (each seen with dbt 1.11.16 on a copy of the example: status said ready)", () => {
    const report = reportOf(
      {
        "models/d_date.sql": "select 1",
        "seeds/country_codes.csv": "",
        "snapshots/snap_products.sql": "{% snapshot snap_products %}select 1{% endsnapshot %}",
        "models/.hidden.sql.skip": "select * from {{ ref('d_date') }}",
        "models/#draft.sql.skip": "select * from {{ ref('d_date') }}",
        "models/scratch_x.sql.skip": "select * from {{ ref('d_date') }}",
        "models/country_codes.sql.skip": "select * from {{ ref('d_date') }}",
        "models/snap_products.sql.skip": "select * from {{ ref('d_date') }}",
        "models/D_Date.sql.skip": "select * from {{ ref('d_date') }}",
        // Accepted by dbt as they are: a leading digit, unicode, upper case, an upper-case extension.
        "models/1abc.sql.skip": "select * from {{ ref('d_date') }}",
        "models/café.sql.skip": "select * from {{ ref('d_date') }}",
        "models/D_DATE2.sql.skip": "select * from {{ ref('d_date') }}",
        "models/zz_up.SQL.skip": "select * from {{ ref('d_date') }}",
      },
      { dbtignore: "models/**/scratch_*.sql\n" },
    );
    const reasons = (name: string) => report.models.find((m) => m.name === name)!.reasons;
    expect(statuses(report)).toEqual({
      ".hidden": "needs-investigation",
      "#draft": "needs-investigation",
      scratch_x: "needs-investigation",
      country_codes: "needs-investigation",
      snap_products: "needs-investigation",
      D_Date: "needs-investigation",
      "1abc": "ready",
      café: "ready",
      D_DATE2: "ready",
      zz_up: "ready",
    });
    expect(reasons(".hidden")).toEqual(["its file name starts with '.': dbt does not read model files whose name starts with '.', '#' or '~', so it would ignore .hidden.sql; rename the file"]);
    expect(reasons("#draft")).toEqual(["its file name starts with '#': dbt does not read model files whose name starts with '.', '#' or '~', so it would ignore #draft.sql; rename the file"]);
    expect(reasons("scratch_x")).toEqual([".dbtignore matches scratch_x.sql: dbt would ignore the restored file; rename the file or change .dbtignore"]);
    expect(reasons("country_codes")).toEqual(["a seed is also named 'country_codes': dbt warns that two resources share the name and ref('country_codes') becomes ambiguous; rename the file"]);
    expect(reasons("snap_products")).toEqual(["a snapshot is also named 'snap_products': dbt warns that two resources share the name and ref('snap_products') becomes ambiguous; rename the file"]);
    expect(reasons("D_Date")).toEqual([
      "its name differs only in case from 'd_date': dbt takes them as two resources, but a warehouse with case-insensitive names (DuckDB, Snowflake) builds one table for both; rename the file",
    ]);
  });

  it("a paused model whose name dbt's --select reads as something else needs investigation: restore's proof (dbt compile --select NAME) would compile nothing (each seen with dbt ls 1.11.16)", () => {
    const names = ["a.b", "c,d", "e:f", "+lead", "trail+", "@at", "2+x"];
    const report = reportOf({
      "models/d_date.sql": "select 1",
      ...Object.fromEntries(names.map((n) => [`models/${n}.sql.skip`, "select * from {{ ref('d_date') }}"])),
      "models/p+q.sql.skip": "select 1",
      "models/g*h.sql.skip": "select 1",
    });
    expect(statuses(report)).toEqual({ ...Object.fromEntries(names.map((n) => [n, "needs-investigation"])), "p+q": "ready", "g*h": "ready" });
    expect(report.models.find((m) => m.name === "a.b")!.reasons).toEqual([
      "dbt parses it, but dbt's --select reads 'a.b' as selection syntax (a '.', ',' or ':', or a '+' or '@' at an end) and does not select it: restore's dbt compile --select would not compile it; rename the file",
    ]);
  });

  it("a paused model whose dependencies are all active is ready", () => {
    const report = reportOf({
      "models/stg_users.sql": "select * from {{ source('raw', 'users') }}",
      "models/sources.yml": SOURCES,
      "models/d_user.sql.skip": "select * from {{ ref('stg_users') }}",
    });
    expect(statuses(report)).toEqual({ d_user: "ready" });
    expect(report.models[0]!.dependencies).toEqual([{ type: "ref", name: "stg_users", version: null, status: "available", line: 1, via: [] }]);
    expect(report.models[0]!.restoreOrder).toBe(1);
    expect(report.summary).toEqual({ paused: 1, ready: 1, blocked: 0, needsInvestigation: 0 });
  });

  it("a missing model blocks, and the block is its root cause", () => {
    const report = reportOf({ "models/d_user.sql.skip": "select * from {{ ref('mas_contracts') }}" });
    expect(statuses(report)).toEqual({ d_user: "blocked" });
    expect(report.models[0]!.missing).toEqual([{ type: "ref", name: "mas_contracts" }]);
    expect(report.rootCauses).toEqual([{ type: "ref", name: "mas_contracts", blocks: ["d_user"], expectedFrom: null }]);
  });

  it("cascade: a paused model that needs a ready paused model is ready, restored after it", () => {
    const report = reportOf({
      "models/stg.sql": "select 1 as id",
      "models/c.sql.skip": "select * from {{ ref('b') }}",
      "models/b.sql.skip": "select * from {{ ref('a') }}",
      "models/a.sql.skip": "select * from {{ ref('stg') }}",
    });
    expect(statuses(report)).toEqual({ a: "ready", b: "ready", c: "ready" });
    const order = Object.fromEntries(report.models.map((m) => [m.name, m.restoreOrder]));
    expect(order).toEqual({ a: 1, b: 2, c: 3 });
    expect(report.models.find((m) => m.name === "c")!.needsRestored).toEqual(["b"]);
    expect(report.models.find((m) => m.name === "b")!.dependencies[0]!.status).toBe("paused");
  });

  it("cascade of a block: models above a blocked one are blocked by its root cause", () => {
    const report = reportOf({
      "models/b.sql.skip": "select * from {{ ref('a') }}",
      "models/a.sql.skip": "select * from {{ ref('mas_contracts') }}",
      "models/x.sql.skip": "select * from {{ ref('mas_contracts') }} join {{ source('raw', 'addresses') }}",
    });
    expect(statuses(report)).toEqual({ a: "blocked", b: "blocked", x: "blocked" });
    expect(report.models.find((m) => m.name === "b")!.blockedBy).toEqual(["ref:mas_contracts"]);
    expect(report.models.find((m) => m.name === "b")!.missing).toEqual([]);
    // Ranked by how many paused models each blocks.
    expect(report.rootCauses).toEqual([
      { type: "ref", name: "mas_contracts", blocks: ["a", "b", "x"], expectedFrom: null },
      { type: "source", name: "raw.addresses", blocks: ["x"], expectedFrom: null },
    ]);
  });

  it("the expected dimension of a root cause comes from the state document", () => {
    const report = reportOf(
      { "models/d_user.sql.skip": "select * from {{ ref('mas_contracts') }}" },
      {
        documents: [
          {
            path: "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md",
            dimension: "dim_user",
            status: "PAUSED - Awaiting Dependencies",
            pausedModels: [{ name: "d_user", location: "models/d_user.sql.skip", missing: [{ name: "mas_contracts", expectedFrom: "dim_contract" }] }],
          },
        ],
      },
    );
    expect(report.rootCauses[0]!.expectedFrom).toBe("dim_contract");
    expect(report.models[0]!.dimension).toBe("dim_user");
    expect(report.models[0]!.dimensionFrom).toBe("state-document");
    expect(report.dimensions).toEqual([
      { name: "dim_user", active: 0, paused: 1, ready: 0, blocked: 1, needsInvestigation: 0, stateDocument: "dimensions/dim_user/DIM_USER_MIGRATION_STATE.md", documentStatus: "PAUSED - Awaiting Dependencies" },
    ]);
  });

  it("cycles among paused models are reported, not looped on, and not called ready", () => {
    const report = reportOf({
      "models/a.sql.skip": "select * from {{ ref('b') }}",
      "models/b.sql.skip": "select * from {{ ref('a') }}",
      "models/c.sql.skip": "select * from {{ ref('a') }}",
    });
    expect(statuses(report)).toEqual({ a: "needs-investigation", b: "needs-investigation", c: "needs-investigation" });
    expect(report.problems.filter((p) => p.kind === "cycle").map((p) => p.message)).toEqual(["paused models depend on each other in a cycle: a → b → a"]);
  });

  it("a dynamic ref is never ready: it needs investigation", () => {
    const report = reportOf({
      "models/stg.sql": "select 1",
      // A var with no value and no default: dbt itself cannot say what it refs until it is set.
      "models/d.sql.skip": "select * from {{ ref(var('contract_model')) }}",
      "models/e.sql.skip": "select * from {{ ref('d') }}",
    });
    expect(statuses(report)).toEqual({ d: "needs-investigation", e: "needs-investigation" });
    expect(report.models.find((m) => m.name === "d")!.dependencies[0]!.status).toBe("dynamic");
    expect(report.models.find((m) => m.name === "e")!.reasons).toEqual(["waits for paused 'd', which needs investigation"]);
  });

  it("a dynamic ref beside a missing one is blocked: nothing can restore it now", () => {
    const report = reportOf({ "models/d.sql.skip": "{{ ref(var('x')) }} {{ ref('gone') }}" });
    expect(statuses(report)).toEqual({ d: "blocked" });
  });

  it("x.sql beside x.sql.skip is a conflict that needs investigation", () => {
    const report = reportOf({ "models/x.sql": "select 1", "models/old/x.sql.skip": "select 2" });
    expect(statuses(report)).toEqual({ x: "needs-investigation" });
    expect(report.problems.map((p) => [p.kind, p.file])).toEqual([["name-conflict", "models/old/x.sql.skip"]]);
  });

  it("an unreadable paused file needs investigation and is named", () => {
    const report = reportOf({ "models/bin.sql.skip": { kind: "unreadable", reason: "binary file (contains NUL bytes)" } });
    expect(statuses(report)).toEqual({ bin: "needs-investigation" });
    expect(report.problems).toEqual([{ kind: "unreadable-file", file: "models/bin.sql.skip", message: "binary file (contains NUL bytes)" }]);
  });

  it("an active model that refs a paused or missing model is a problem, with its line", () => {
    const report = reportOf({
      "models/a.sql.skip": "select 1",
      "models/f.sql": "select 1\nfrom {{ ref('a') }}\njoin {{ ref('ghost') }}",
    });
    expect(report.problems.map((p) => [p.kind, p.file, p.line])).toEqual([
      ["active-refs-paused", "models/f.sql", 2],
      ["active-refs-missing", "models/f.sql", 3],
    ]);
  });

  it("a disabled source table is missing, with a note", () => {
    const report = reportOf({
      "models/sources.yml": SOURCES,
      "models/m.sql.skip": "select * from {{ source('raw', 'old_table') }}",
    });
    expect(statuses(report)).toEqual({ m: "blocked" });
    expect(report.models[0]!.reasons).toEqual([
      "source 'raw.old_table' is disabled (enabled: false in models/sources.yml (source raw, table old_table)): dbt says it \"depends on a node named 'raw.old_table' which is disabled\"",
    ]);
  });

  it("seeds, snapshots and package models are available; a two-argument ref checks the package", () => {
    const report = reportOf({
      "seeds/country_codes.csv": "",
      "snapshots/users_snapshot.sql": "{% snapshot users_snapshot %}select 1{% endsnapshot %}",
      "dbt_packages/util/dbt_project.yml": "name: util_pkg\nversion: '1'\n",
      "dbt_packages/util/models/calendar.sql": "select 1",
      "models/m.sql.skip": "{{ ref('country_codes') }} {{ ref('users_snapshot') }} {{ ref('calendar') }} {{ ref('util_pkg', 'calendar') }} {{ ref('other_pkg', 'calendar') }}",
    });
    expect(report.models[0]!.dependencies.map((d) => [d.name, d.status])).toEqual([
      ["country_codes", "available"],
      ["users_snapshot", "available"],
      ["calendar", "available"],
      ["util_pkg.calendar", "available"],
      ["other_pkg.calendar", "missing"],
    ]);
  });

  it("versioned models: a pinned version must exist; an unpinned ref needs the latest", () => {
    const props = `version: 2
models:
  - name: dim_customers
    latest_version: 2
    versions:
      - v: 1
      - v: 2
`;
    const report = reportOf({
      "models/props.yml": props,
      "models/dim_customers_v1.sql": "select 1",
      "models/a.sql.skip": "{{ ref('dim_customers', v=1) }}",
      "models/b.sql.skip": "{{ ref('dim_customers', version=2) }}",
      "models/c.sql.skip": "{{ ref('dim_customers') }}",
    });
    expect(statuses(report)).toEqual({ a: "ready", b: "blocked", c: "blocked" });
  });

  it("models paused with enabled=false are reported as paused by config, never ready (dbt-unskip does not restore them)", () => {
    const report = reportOf({
      "models/stg.sql": "select 1",
      "models/d.sql": "{{ config(enabled=false) }} select * from {{ ref('stg') }}",
    });
    expect(report.models.map((m) => [m.name, m.status, m.pausedBy])).toEqual([["d", "needs-investigation", "disabled"]]);
    expect(report.models[0]!.reasons).toEqual(["paused with enabled=false in the file's config(): dbt-unskip restores only .skip files; set enabled to true there to bring it back"]);
  });

  it("never assumes models/: reads model-paths from dbt_project.yml", () => {
    const report = reportOf(
      {
        "transform/stg.sql": "select 1",
        "transform/d.sql.skip": "{{ ref('stg') }}",
        "models/ignored.sql.skip": "{{ ref('nothing') }}",
      },
      { projectYml: "name: shop\nmodel-paths: ['transform']\n" },
    );
    expect(statuses(report)).toEqual({ d: "ready" });
  });

  it("files dbt never reads (a name starting with '.', '#' or '~') provide nothing: no model, seed, snapshot, source, version or macro (each seen with dbt 1.11.16 on a copy of the example: status said ready, dbt parse said not found)", () => {
    const report = reportOf({
      "models/d_date.sql": "select 1",
      "models/.hidden_m.sql": "select 1",
      "models/#emacs_m.sql": "select 1",
      "models/~tilde_m.py": "def model(dbt, session):\n    return None\n",
      "seeds/.hidden_seed.csv": "",
      "snapshots/.snap_hidden.sql": "{% snapshot snap_hidden %}select 1{% endsnapshot %}",
      "models/.sources.yml": "version: 2\nsources:\n  - name: legacy\n    tables:\n      - name: t1\n",
      "models/_versions.yml": "version: 2\nmodels:\n  - name: vm\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n        defined_in: .vm_v2\n",
      "models/vm_v1.sql": "select 1",
      "models/.vm_v2.sql": "select 1",
      "macros/.hidden_macro.sql": "{% macro the_ref() %}{{ ref('d_date') }}{% endmacro %}",
      "models/p_model.sql.skip": "select * from {{ ref('.hidden_m') }}",
      "models/p_hash.sql.skip": "select * from {{ ref('#emacs_m') }}",
      "models/p_tilde.sql.skip": "select * from {{ ref('~tilde_m') }}",
      "models/p_seed.sql.skip": "select * from {{ ref('.hidden_seed') }}",
      "models/p_snap.sql.skip": "select * from {{ ref('snap_hidden') }}",
      "models/p_src.sql.skip": "select * from {{ source('legacy', 't1') }}",
      "models/p_version.sql.skip": "select * from {{ ref('vm') }}",
      "models/p_macro.sql.skip": "select * from {{ the_ref() }}",
      "models/p_ok.sql.skip": "select * from {{ ref('d_date') }}",
    });
    expect(statuses(report)).toEqual({
      p_model: "blocked",
      p_hash: "blocked",
      p_tilde: "blocked",
      p_seed: "blocked",
      p_snap: "blocked",
      p_src: "blocked",
      p_version: "blocked",
      p_macro: "needs-investigation",
      p_ok: "ready",
    });
    expect(report.problems).toEqual([]);
  });

  it('a name missing because its file is one dbt never reads says so: the file and why, in the root cause (JSON) and the report\'s text (status said only "missing: snap_hidden")', () => {
    const report = reportOf(
      {
        "models/d_date.sql": "select 1",
        "models/.hidden_m.sql": "select 1",
        "models/#emacs_m.sql": "select 1",
        "models/~tilde_m.py": "def model(dbt, session):\n    return None\n",
        "seeds/.hidden_seed.csv": "",
        "snapshots/.snap_hidden.sql": "{% snapshot snap_hidden %}select 1{% endsnapshot %}",
        "models/scratch_y.sql": "select 1",
        "models/p_model.sql.skip": "select * from {{ ref('.hidden_m') }}",
        "models/p_hash.sql.skip": "select * from {{ ref('emacs_m') }}",
        "models/p_tilde.sql.skip": "select * from {{ ref('tilde_m') }}",
        "models/p_seed.sql.skip": "select * from {{ ref('hidden_seed') }}",
        "models/p_snap.sql.skip": "select * from {{ ref('snap_hidden') }}",
        "models/p_ignored.sql.skip": "select * from {{ ref('scratch_y') }}",
        "models/p_nothing.sql.skip": "select * from {{ ref('nowhere') }}",
      },
      { dbtignore: "models/scratch_*.sql\n" },
    );
    const dot = "dbt does not read files whose names start with '.'";
    expect(Object.fromEntries(report.rootCauses.map((c) => [c.name, c.unreadFile ?? null]))).toEqual({
      ".hidden_m": { file: "models/.hidden_m.sql", why: dot },
      emacs_m: { file: "models/#emacs_m.sql", why: "dbt does not read files whose names start with '#'" },
      tilde_m: { file: "models/~tilde_m.py", why: "dbt does not read files whose names start with '~'" },
      hidden_seed: { file: "seeds/.hidden_seed.csv", why: dot },
      snap_hidden: { file: "snapshots/.snap_hidden.sql", why: dot },
      scratch_y: { file: "models/scratch_y.sql", why: ".dbtignore matches it, so dbt does not read it" },
      nowhere: null,
    });
    // Only added: a root cause without such a file has no unreadFile key (the JSON is as it was).
    expect(Object.keys(report.rootCauses.find((c) => c.name === "nowhere")!)).toEqual(["type", "name", "blocks", "expectedFrom"]);
    const text = renderStatusText(report);
    expect(text).toContain("p_snap.sql.skip → missing: snap_hidden (`.snap_hidden.sql` exists; dbt does not read files whose names start with '.')");
    expect(text).toContain("p_ignored.sql.skip → missing: scratch_y (`scratch_y.sql` exists; .dbtignore matches it, so dbt does not read it)");
    expect(text).toContain("p_nothing.sql.skip → missing: nowhere\n");
    expect(text).toMatch(/\d\. snap_hidden \(`\.snap_hidden\.sql` exists; dbt does not read files whose names start with '\.'\) → blocks 1: p_snap/);
    // The Markdown that lists root causes says it too: the dashboard's table and the bot's status reply.
    expect(renderDashboard([report], { commit: "0".repeat(40) })).toContain("| `snap_hidden` (`.snap_hidden.sql` exists; dbt does not read files whose names start with '.') | ref | 1: `p_snap` |");
    expect(renderStatusReply("ana", [report], { ref: "main", commit: null })).toContain("- `scratch_y` (ref; `scratch_y.sql` exists; .dbtignore matches it, so dbt does not read it) blocks 1");
  });

  it("a .dbtignore pattern that matches .skip files (`*.skip`, `scratch_*`) does not hide paused models: dbt never reads a .skip file anyway (seen on a copy of the example with `*.skip`: status said 0 paused, every dimension 100% migrated)", () => {
    const files = { "models/stg.sql": "select 1", "models/paused.sql.skip": "{{ ref('stg') }}", "models/scratch_x.sql.skip": "{{ ref('stg') }}" };
    expect(statuses(reportOf(files, { dbtignore: "*.skip\n" }))).toEqual({ paused: "ready", scratch_x: "ready" });
    const report = reportOf(files, { dbtignore: "scratch_*\n" });
    expect(statuses(report)).toEqual({ paused: "ready", scratch_x: "needs-investigation" });
    expect(report.models.find((m) => m.name === "scratch_x")!.reasons).toEqual([".dbtignore matches scratch_x.sql: dbt would ignore the restored file; rename the file or change .dbtignore"]);
  });

  it(".dbtignore hides files from the project", () => {
    const report = reportOf({ "models/stg.sql": "select 1", "models/scratch_x.sql": "{{ ref('paused') }}", "models/paused.sql.skip": "{{ ref('stg') }}" }, { dbtignore: "models/scratch_*.sql\n" });
    expect(report.problems).toEqual([]);
    expect(statuses(report)).toEqual({ paused: "ready" });
  });

  it("dimensions come from tags (config() or dbt_project.yml) and configured path globs", () => {
    const report = reportOf(
      {
        "models/gold/d_user.sql.skip": "{{ config(tags=['dim_user', 'gold']) }} select 1",
        "models/gold/d_contract.sql.skip": "select 1",
        "models/misc/thing.sql.skip": "select 1",
        "models/silver/stg_other.sql.skip": "select 1",
      },
      {
        projectYml: "name: shop\nmodels:\n  shop:\n    silver:\n      +tags: ['dim_other']\n",
        config: { dimensions: { dim_contract: { paths: ["models/gold/d_contract*"] } } },
      },
    );
    expect(report.models.map((m) => [m.name, m.dimension, m.dimensionFrom])).toEqual([
      ["d_contract", "dim_contract", "path"],
      ["stg_other", "dim_other", "tag"],
      ["d_user", "dim_user", "tag"],
      ["thing", null, null],
    ]);
  });

  it("a long chain of paused models does not overflow the stack", () => {
    const files: Record<string, string> = { "models/m0.sql": "select 1" };
    for (let i = 1; i <= 20000; i++) files[`models/m${i}.sql.skip`] = `select * from {{ ref('m${i - 1}') }}`;
    const report = reportOf(files);
    expect(report.summary.ready).toBe(20000);
    expect(report.models.find((m) => m.name === "m20000")!.restoreOrder).toBe(20000);
  });
});
