import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPause, PAUSED_STATUS, renderNewStateDocument, type PauseUpdate, type PausedEntry } from "../../../src/core/stateDocument/applyPause.js";
import { applyRestart, parseStateDocument } from "../../../src/core/stateDocument/index.js";
import { isNotAName } from "../../../src/core/stateDocument/dependencyItem.js";
import { stateDocumentArbitrary } from "./stateDocumentArbitrary.js";

const EXAMPLE = readFileSync(new URL("../../../examples/warehouse-migration/dimensions/dim_user/DIM_USER_MIGRATION_STATE.md", import.meta.url), "utf8");

const UPDATE: PauseUpdate = {
  dimension: "dim_user",
  date: "2026-12-07",
  branch: "migrate/dim_user",
  complete: 4,
  total: 10,
  completedByLayer: [
    { layer: "silver/staging", models: ["stg_users_web", "stg_users_app"] },
    { layer: "gold", models: ["f_user_signups", "f_user_logins_daily"] },
  ],
  paused: [
    {
      file: "mas_users.sql",
      location: "transform/silver/master/mas_users.sql.skip",
      reason: "dbt parse: depends on 'stg_crm_users', which dbt cannot find",
      missing: [
        { name: "stg_crm_users", kind: "ref", expectedFrom: "dim_crm" },
        { name: "bronze.crm", kind: "source", expectedFrom: null },
      ],
      present: ["stg_users_web"],
    },
    { file: "f_user_signups.py", location: "transform/gold/f_user_signups.py.skip", reason: "needs mas_users, which is paused", missing: [{ name: "mas_users", kind: "ref", expectedFrom: "dim_user" }], present: [] },
  ],
  resume: ["Wait for `stg_crm_users` (dim_crm) to land.", "Run `dbt-unskip restore --dimension dim_user`."],
};

const textOf = (r: ReturnType<typeof applyPause>) => {
  if ("error" in r) throw new Error(r.error);
  return r.text;
};

const readBack = (doc: ReturnType<typeof parseStateDocument>["pausedModels"]) => doc.map((m) => ({ file: m.file, location: m.location, missing: m.missing, present: m.present }));
const asWritten = (entries: PausedEntry[]) => entries.map((e) => ({ file: e.file, location: e.location, missing: e.missing, present: e.present }));

describe("a new state document in the pause procedure's format", () => {
  it("has every field of DESIGN §5 and reads back as the same models, dependencies and locations", () => {
    const text = renderNewStateDocument(UPDATE);
    expect(text).toMatchSnapshot();
    const doc = parseStateDocument(text);
    expect(doc.problems).toEqual([]);
    expect(doc.status?.value).toBe(PAUSED_STATUS);
    expect(doc.migrationId).toBe("dim_user_20261207");
    expect(doc.branch).toBe("migrate/dim_user");
    expect(doc.dimension).toBe("dim_user");
    expect(readBack(doc.pausedModels)).toEqual(asWritten(UPDATE.paused));
    expect(doc.resumeInstructions).toContain("dbt-unskip restore --dimension dim_user");
  });
});

describe("an existing state document updated by a pause", () => {
  it("keeps every earlier byte except the status value and appends one dated Paused Models section", () => {
    const text = textOf(applyPause(EXAMPLE, UPDATE));
    const statusLine = "**Status**: PAUSED - Awaiting Dependencies";
    expect(EXAMPLE).toContain(statusLine);
    // The status was PAUSED already: the old text is a byte-exact prefix.
    expect(text.startsWith(EXAMPLE)).toBe(true);
    expect(text.slice(EXAMPLE.length)).toMatchSnapshot();
    const doc = parseStateDocument(text);
    expect(doc.problems).toEqual([]);
    expect(readBack(doc.pausedModels.slice(4))).toEqual(asWritten(UPDATE.paused));
  });

  it("after a restore: status PAUSED again, the restart log kept byte for byte, a model paused again gets a new entry", () => {
    const restarted = applyRestart(EXAMPLE, { date: "2026-11-21", resumed: ["d_user.sql"], stillPaused: [{ file: "f_user_activity.sql", missing: ["f_transactions"] }], nextAction: "Wait" });
    if ("error" in restarted) throw new Error(restarted.error);
    const again: PauseUpdate = {
      ...UPDATE,
      paused: [
        {
          file: "d_user.sql",
          location: "transform/gold/d_user.sql.skip",
          reason: "dbt parse: depends on 'mas_user_contracts', which dbt cannot find",
          missing: [{ name: "mas_user_contracts", kind: "ref", expectedFrom: "dim_user" }],
          present: ["mas_users"],
        },
      ],
    };
    const text = textOf(applyPause(restarted.text, again));
    const lines = (t: string) => t.split("\n");
    const before = lines(restarted.text);
    const after = lines(text);
    const status = before.findIndex((l) => l.includes("RESUMED"));
    expect(after[status]).toBe("**Status**: PAUSED - Awaiting Dependencies");
    expect([...after.slice(0, status), ...after.slice(status + 1, before.length)]).toEqual([...before.slice(0, status), ...before.slice(status + 1)]);
    const doc = parseStateDocument(text);
    expect(doc.problems).toEqual([]);
    expect(doc.restartLogs).toHaveLength(1);
    expect(doc.pausedModels.filter((m) => m.name === "d_user")).toHaveLength(2);
    expect(readBack(doc.pausedModels.slice(-1))).toEqual(asWritten(again.paused));
  });

  it("a model already listed in an earlier Paused Models section gets a new entry in the new one, read without a problem", () => {
    const again: PauseUpdate = { ...UPDATE, paused: [{ file: "d_user.sql", location: "transform/gold/d_user.sql.skip", reason: "asked for", missing: [], present: ["mas_users"] }] };
    const doc = parseStateDocument(textOf(applyPause(EXAMPLE, again)));
    expect(doc.problems).toEqual([]);
    expect(doc.pausedModels.filter((m) => m.name === "d_user").map((m) => m.present)).toEqual([["mas_users"], ["mas_users"]]);
    // Twice in one section is still a mistake the reader names.
    expect(parseStateDocument(renderNewStateDocument({ ...UPDATE, paused: [UPDATE.paused[0]!, UPDATE.paused[0]!] })).problems).toEqual([expect.stringContaining("is listed again")]);
  });

  it("refuses a document it cannot update, and names it cannot write", () => {
    expect(applyPause("# Notes\n\njust prose\n", UPDATE)).toEqual({ error: expect.stringContaining("not a migration state document") });
    expect(applyPause(EXAMPLE, { ...UPDATE, paused: [{ ...UPDATE.paused[0]!, file: "a`](x).sql" }] })).toEqual({ error: expect.stringContaining("cannot be written") });
    // Found by the property below: a dependency named `na` read back as "no dependency".
    const na = { ...UPDATE.paused[0]!, missing: [{ name: "na", kind: "ref" as const, expectedFrom: null }] };
    expect(applyPause(EXAMPLE, { ...UPDATE, paused: [na] })).toEqual({ error: expect.stringContaining('"na" reads as "no dependency"') });
    expect(applyPause(EXAMPLE, { ...UPDATE, paused: [{ ...UPDATE.paused[0]!, present: ["None"] }] })).toEqual({ error: expect.stringContaining("cannot be written there") });
  });
});

// Property: pause → read with the lenient reader → the same paused models, dependencies, locations;
// on any document the reader recognizes, every earlier line survives (the status value aside).
// Names a person writes for "no dependency" (`na`, `none`) are refused by the writer (tested above), not written.
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/).filter((n) => !isNotAName(n));
const entry = fc.record({
  base: name,
  py: fc.boolean(),
  dir: fc.constantFrom("models/gold", "transform/silver/master", "m"),
  reason: fc.string({ maxLength: 60 }),
  missing: fc.uniqueArray(fc.record({ name, kind: fc.constantFrom("ref" as const, "source" as const), expectedFrom: fc.option(name, { nil: null }) }), { maxLength: 3, selector: (d) => d.name }),
  present: fc.uniqueArray(name, { maxLength: 3 }),
});
const entries = fc.uniqueArray(entry, { minLength: 1, maxLength: 5, selector: (e) => e.base }).map((list) =>
  list.map((e): PausedEntry => {
    const file = `${e.base}.${e.py ? "py" : "sql"}`;
    const missing = e.missing.map((d) => ({ ...d, name: d.kind === "source" ? `src_${d.name}.${d.name}` : d.name }));
    return { file, location: `${e.dir}/${file}.skip`, reason: e.reason, missing, present: e.present.filter((p) => !missing.some((m) => m.name === p)) };
  }),
);

describe("property: what a pause writes is what the reader reads", () => {
  it("new documents", () => {
    fc.assert(
      fc.property(entries, (paused) => {
        const update = { ...UPDATE, paused };
        const doc = parseStateDocument(renderNewStateDocument(update));
        expect(readBack(doc.pausedModels)).toEqual(asWritten(paused));
        expect(doc.status?.value).toBe(PAUSED_STATUS);
      }),
    );
  });

  it("existing documents, however they were written", () => {
    fc.assert(
      fc.property(stateDocumentArbitrary, entries, (generated, paused) => {
        const before = parseStateDocument(generated.text);
        const result = applyPause(generated.text, { ...UPDATE, paused });
        if (before.status === null) {
          expect(result).toHaveProperty("error");
          return;
        }
        const text = textOf(result);
        const doc = parseStateDocument(text);
        expect(readBack(doc.pausedModels.slice(before.pausedModels.length))).toEqual(asWritten(paused));
        const oldLines = before.source.lines;
        const newLines = doc.source.lines;
        oldLines.forEach((line, i) => {
          if (i === before.status!.line - 1) return;
          if (i === oldLines.length - 1 && line.eol === "") expect(newLines[i]!.text).toBe(line.text);
          else expect(newLines[i]).toEqual(line);
        });
        expect(doc.status?.value).toBe(PAUSED_STATUS);
      }),
    );
  });
});
