import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parseStateDocument, type PausedModel } from "../../../src/core/stateDocument/index.js";
import { stateDocumentArbitrary } from "./stateDocumentArbitrary.js";

// DESIGN.md section 5, verbatim.
const DESIGN_EXAMPLE = `# dim_user Migration State

**Migration ID**: dim_user_20251020
**Status**: PAUSED - Awaiting Dependencies
**Date**: 2025-10-20
**Branch**: migrate/dim_user

## Migration Progress: 80% Complete
### ✅ Completed (8/10 models)
...

## ⏸️ Paused Models (2/10)

### 1. d_user.sql → d_user.sql.skip
**Status**: INCOMPLETE - Missing 1 dependencies
**Location**: \`models/gold/d_user.sql.skip\`

**Missing Dependencies**:
- ❌ **mas_contracts** (from dim_contract)

**Has Dependencies** (2/3):
- ✅ stg_users
- ✅ mas_users

## 🎯 Resume Instructions
...
`;

const D_USER = {
  name: "d_user",
  file: "d_user.sql",
  location: "models/gold/d_user.sql.skip",
  status: "INCOMPLETE - Missing 1 dependencies",
  missing: [{ name: "mas_contracts", kind: "ref", expectedFrom: "dim_contract" }],
  present: ["stg_users", "mas_users"],
};

describe("parseStateDocument: the DESIGN example", () => {
  const doc = parseStateDocument(DESIGN_EXAMPLE);

  it("reads the header fields", () => {
    expect(doc.recognized).toBe(true);
    expect(doc.title).toBe("dim_user Migration State");
    expect(doc.dimension).toBe("dim_user");
    expect(doc.status).toEqual({ value: "PAUSED - Awaiting Dependencies", line: 4, start: 12, end: 42 });
    expect(doc.migrationId).toBe("dim_user_20251020");
    expect(doc.date).toBe("2025-10-20");
    expect(doc.branch).toBe("migrate/dim_user");
  });

  it("reads the paused model with its dependencies", () => {
    expect(doc.pausedModels).toEqual([{ ...D_USER, line: 14 }]);
  });

  it("reads the resume instructions and every section", () => {
    expect(doc.resumeInstructions).toBe("...");
    expect(doc.restartLogs).toEqual([]);
    expect(doc.sections.map((s) => [s.level, s.heading, s.line])).toEqual([
      [1, "dim_user Migration State", 1],
      [2, "Migration Progress: 80% Complete", 8],
      [3, "✅ Completed (8/10 models)", 9],
      [2, "⏸️ Paused Models (2/10)", 12],
      [3, "1. d_user.sql → d_user.sql.skip", 14],
      [2, "🎯 Resume Instructions", 25],
    ]);
  });

  it("notes that the heading counts two paused models where the example shows one", () => {
    expect(doc.problems).toEqual(["line 12: the Paused Models heading counts 2 but 1 was read"]);
  });
});

describe("parseStateDocument: spellings people use", () => {
  const model = (text: string) => {
    const [first, ...rest] = parseStateDocument(text).pausedModels;
    expect(rest).toEqual([]);
    return first;
  };
  const strip = ({ line: _line, ...rest }: PausedModel) => rest;

  it("without emoji, numbering, counts or bold", () => {
    const text = [
      "# dim_user Migration State",
      "Status: PAUSED - Awaiting Dependencies",
      "## Paused Models",
      "### d_user.sql -> d_user.sql.skip",
      "Status: INCOMPLETE - Missing 1 dependencies",
      "Location: `models/gold/d_user.sql.skip`",
      "Missing Dependencies:",
      "- mas_contracts (from dim_contract)",
      "Has Dependencies:",
      "- stg_users",
      "- mas_users",
      "## Resume Instructions",
      "Wait.",
    ].join("\n");
    const doc = parseStateDocument(text);
    expect(doc.status?.value).toBe("PAUSED - Awaiting Dependencies");
    expect(strip(model(text)!)).toEqual(D_USER);
    expect(doc.resumeInstructions).toBe("Wait.");
    expect(doc.problems).toEqual([]);
  });

  it("with CRLF line endings, a BOM and trailing whitespace", () => {
    const text = `\uFEFF${DESIGN_EXAMPLE.split("\n").join("  \r\n")}`;
    const doc = parseStateDocument(text);
    expect(doc.title).toBe("dim_user Migration State");
    expect(doc.status?.value).toBe("PAUSED - Awaiting Dependencies");
    expect(doc.pausedModels.map(strip)).toEqual([D_USER]);
  });

  it.each([
    ["### 1. d_user.sql → d_user.sql.skip", "d_user.sql"],
    ["### d_user.sql -> d_user.sql.skip", "d_user.sql"],
    ["### 2) `d_user.sql` => `d_user.sql.skip`", "d_user.sql"],
    ["### ⏸️ **d_user.sql.skip**", "d_user.sql.skip"],
    ["### d_user.sql.skip (gold)", "d_user.sql.skip"],
    ["### d_user", "d_user.sql.skip"],
    ["#### 1. d_user", "d_user.sql.skip"],
  ])("a model heading written %s", (heading, file) => {
    const text = `**Status**: PAUSED\n## Paused Models\n${heading}\n**Location**: \`models/gold/d_user.sql.skip\`\n`;
    expect(model(text)).toMatchObject({ name: "d_user", file, location: "models/gold/d_user.sql.skip" });
  });

  it.each([
    ["**Status**: PAUSED - Awaiting Dependencies", "PAUSED - Awaiting Dependencies"],
    ["Status: PAUSED - Awaiting Dependencies", "PAUSED - Awaiting Dependencies"],
    ["- **Status:** PAUSED - Awaiting Dependencies", "PAUSED - Awaiting Dependencies"],
    ["**Status:** PAUSED", "PAUSED"],
    ["__Status__: PAUSED", "PAUSED"],
    ["> **Status**: PAUSED", "PAUSED"],
    ["📊 **Status**: ⏸️ PAUSED", "⏸️ PAUSED"],
    ["**Status**: **PAUSED**", "PAUSED"],
    ["**Status**: `PAUSED`   ", "PAUSED"],
  ])("a status line written %s", (line, value) => {
    const doc = parseStateDocument(`# dim_user Migration State\n\n${line}\n`);
    expect(doc.recognized).toBe(true);
    expect(doc.status?.value).toBe(value);
    expect(doc.status?.line).toBe(3);
    expect(line.slice(doc.status?.start, doc.status?.end)).toBe(value);
  });

  it.each([
    ["- ❌ **mas_contracts** (from dim_contract)", { name: "mas_contracts", kind: "ref", expectedFrom: "dim_contract" }],
    ["- mas_contracts (from dim_contract)", { name: "mas_contracts", kind: "ref", expectedFrom: "dim_contract" }],
    ["- ❌ mas_contracts - from dim_contract", { name: "mas_contracts", kind: "ref", expectedFrom: "dim_contract" }],
    ["- `mas_contracts` (from dim_contract - not migrated yet)", { name: "mas_contracts", kind: "ref", expectedFrom: "dim_contract" }],
    ["* mas_contracts", { name: "mas_contracts", kind: "ref", expectedFrom: null }],
    ["1. mas_contracts: provided by dim_contract", { name: "mas_contracts", kind: "ref", expectedFrom: "dim_contract" }],
    ["- source: raw.accounts", { name: "raw.accounts", kind: "source", expectedFrom: null }],
    ["- ❌ **source: raw.accounts**", { name: "raw.accounts", kind: "source", expectedFrom: null }],
    ["- `source('raw', 'accounts')`", { name: "raw.accounts", kind: "source", expectedFrom: null }],
    ["- `ref('mas_contracts')` (from dim_contract)", { name: "mas_contracts", kind: "ref", expectedFrom: "dim_contract" }],
    ["- stg_stripe__payments", { name: "stg_stripe__payments", kind: "ref", expectedFrom: null }],
    ["- ❌ **bronze.addresses** (source, from dim_user)", { name: "bronze.addresses", kind: "source", expectedFrom: "dim_user" }],
    ["- ❌ **mas_contracts** (source system pending)", { name: "mas_contracts", kind: "ref", expectedFrom: null }],
  ])("a missing dependency written %s", (item, expected) => {
    const text = `Status: PAUSED\n## Paused Models\n### d_user.sql\n**Missing Dependencies**:\n${item}\n`;
    expect(model(text)?.missing).toEqual([expected]);
  });

  it("reads ✅/❌ marks under a plain Dependencies label, and inline lists", () => {
    const text = [
      "Status: PAUSED",
      "## Paused Models",
      "### d_user.sql",
      "Dependencies:",
      "- ✅ stg_users",
      "- ❌ mas_contracts (from dim_contract)",
      "- something unmarked",
      "Missing: a, b (from dim_b)",
      "#### Has Dependencies",
      "- c",
      "- [x] d",
      "- [ ] e",
    ].join("\n");
    expect(model(text)).toMatchObject({
      present: ["stg_users", "c", "d"],
      missing: [
        { name: "mas_contracts", expectedFrom: "dim_contract" },
        { name: "a", expectedFrom: null },
        { name: "b", expectedFrom: "dim_b" },
        { name: "e", expectedFrom: null },
      ],
    });
  });

  it("does not take notes nested under a dependency, or prose after a list, for dependencies", () => {
    const text = [
      "Status: PAUSED",
      "## Paused Models",
      "### d_user.sql",
      "**Missing Dependencies**:",
      "- mas_contracts",
      "  - needed for the contract join",
      "",
      "Ask the contracts team first.",
      "- not a dependency",
    ].join("\n");
    expect(model(text)?.missing.map((d) => d.name)).toEqual(["mas_contracts"]);
  });

  it("reads paused models written as a list, the way a Restart Log writes them", () => {
    const text = [
      "**Status**: RESUMED",
      "## Paused Models",
      "- model_3.sql.skip (missing: dependency_X, dependency_Y from dim_a)",
      "- `models/gold/model_4.sql.skip`",
      "  - ❌ dependency_Z",
      "- model_5.sql → model_5.sql.skip",
    ].join("\n");
    const doc = parseStateDocument(text);
    expect(doc.pausedModels.map((m) => [m.name, m.file, m.missing.map((d) => `${d.name}/${d.expectedFrom}`)])).toEqual([
      ["model_3", "model_3.sql.skip", ["dependency_X/null", "dependency_Y/dim_a"]],
      ["model_4", "models/gold/model_4.sql.skip", ["dependency_Z/null"]],
      ["model_5", "model_5.sql", []],
    ]);
  });
});

describe("parseStateDocument: documents with more in them", () => {
  it("reads several paused models, keeps unknown sections and existing restart logs", () => {
    const text = [
      "# 🧭 dim_user Migration State",
      "**Status**: RESUMED",
      "## Team contacts",
      "- Maria",
      "## ⏸️ Paused Models (2/10)",
      "### 1. d_user.sql → d_user.sql.skip",
      "**Location**: `models/gold/d_user.sql.skip`",
      "**Missing Dependencies**:",
      "- ❌ **mas_contracts** (from dim_contract)",
      "### 2. f_logins.sql → f_logins.sql.skip",
      "**Location**: `models/gold/f_logins.sql.skip`",
      "**Missing Dependencies**:",
      "- ❌ **mas_sessions** (from dim_session)",
      "## 🔄 Restart Log",
      "**Restart Date**: 2025-11-02",
      "### Still Paused:",
      "- `f_logins.sql.skip` (missing: `mas_sessions`)",
      "## 🔄 Restart Log (2)",
      "**Restart Date**: 2025-11-09",
      "## Appendix: lineage",
      "text",
    ].join("\n");
    const doc = parseStateDocument(text);
    expect(doc.dimension).toBe("dim_user");
    expect(doc.pausedModels.map((m) => [m.name, m.line, m.missing[0]?.name])).toEqual([
      ["d_user", 6, "mas_contracts"],
      ["f_logins", 10, "mas_sessions"],
    ]);
    expect(doc.restartLogs).toEqual([
      { heading: "🔄 Restart Log", line: 14, date: "2025-11-02" },
      { heading: "🔄 Restart Log (2)", line: 18, date: "2025-11-09" },
    ]);
    expect(doc.sections.map((s) => s.heading)).toContain("Team contacts");
    expect(doc.sections.map((s) => s.heading)).toContain("Appendix: lineage");
    expect(doc.problems).toEqual([]);
  });

  it("ignores headings and fields inside code blocks and HTML comments", () => {
    const text = [
      "# dim_user Migration State",
      "```",
      "**Status**: FAKE",
      "```",
      "<!--",
      "## Paused Models",
      "-->",
      "Status: PAUSED",
      "## Paused Models",
      "### d_user.sql",
      "**Location**: `models/d_user.sql.skip`",
      "## Resume Instructions",
      "",
      "```bash",
      "# rename back",
      "mv a b",
      "```",
      "",
    ].join("\n");
    const doc = parseStateDocument(text);
    expect(doc.status).toMatchObject({ value: "PAUSED", line: 8 });
    expect(doc.pausedModels.map((m) => m.name)).toEqual(["d_user"]);
    expect(doc.sections.map((s) => s.heading)).toEqual(["dim_user Migration State", "Paused Models", "d_user.sql", "Resume Instructions"]);
    expect(doc.resumeInstructions).toBe("```bash\n# rename back\nmv a b\n```");
  });

  it("reports what it could not read", () => {
    const text = ["Status: PAUSED", "Status: PAUSED again", "## Paused Models (3)", "### d_user.sql", "### d_user.sql.skip", "### Notes", "just words", "### Open questions for the team", "```", "unclosed"].join(
      "\n",
    );
    expect(parseStateDocument(text).problems).toEqual([
      "line 2: another status line; the one on line 1 is the one read",
      'line 5: paused model "d_user" is listed again (first on line 4)',
      'line 6: "Notes" under Paused Models has no file, location or dependencies; not read as a paused model',
      'line 8: heading "Open questions for the team" under Paused Models names no model; kept as is',
      "line 3: the Paused Models heading counts 3 but 2 were read",
      "line 9: this code block is never closed",
    ]);
  });

  it("reads the dimension from other title spellings", () => {
    expect(parseStateDocument("# **DIM_USER** migration state\nStatus: x").dimension).toBe("DIM_USER");
    expect(parseStateDocument("# Migration State: dim_user\nStatus: x").dimension).toBe("dim_user");
    expect(parseStateDocument("# Notes\nStatus: x").dimension).toBeNull();
  });
});

describe("parseStateDocument: text that is not a state document", () => {
  it.each([
    ["empty", ""],
    ["a README", "# My project\n\nSome text.\n\n## Install\n\nnpm i\n"],
    ["binary-looking", "\u0000\u0001PK\u0003\u0004\uFFFD\uFFFD"],
  ])("%s is not recognized", (_label, text) => {
    const doc = parseStateDocument(text);
    expect(doc.recognized).toBe(false);
    expect(doc.status).toBeNull();
    expect(doc.pausedModels).toEqual([]);
  });
});

describe("parseStateDocument: generated documents", () => {
  it("reads back what was written, in every style", () => {
    fc.assert(
      fc.property(stateDocumentArbitrary, (generated) => {
        const doc = parseStateDocument(generated.text);
        expect(doc.recognized).toBe(true);
        expect(doc.dimension).toBe(generated.dimension);
        expect(doc.status?.value).toBe(generated.status);
        expect(doc.pausedModels.map(({ line: _line, status: _status, ...rest }) => rest)).toEqual(generated.models);
        const headings = doc.sections.map((s) => s.heading);
        for (const heading of generated.unknownHeadings) expect(headings).toContain(heading);
        expect(doc.resumeInstructions?.trimEnd()).toBe("1. Migrate the missing dimensions.");
        expect(doc.problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe("parseStateDocument: pathological input returns", () => {
  const big = 1_000_000;
  it.each([
    ["1 MB of #", "#".repeat(big)],
    ["1 MB of # and spaces", "# ".repeat(big / 2)],
    ["1 MB of spaces then a letter", `${" ".repeat(big)}x`],
    ["1 MB of colons", `**Status**: ${":".repeat(big)}`],
    ["1 MB of parentheses", `## Paused Models ${"(1".repeat(big / 2)}`],
    ["1 MB of backticks", "`".repeat(big)],
    ["1 MB of .skip", `## Paused\n### ${".skip".repeat(big / 5)}`],
    ["1 MB of newlines", "\n".repeat(big)],
    ["1 MB of carriage returns", "\r".repeat(big)],
    ["1 MB of list markers", `## Paused\n### a.sql\nMissing:\n${"- ".repeat(big / 2)}`],
    ["a long dependency line", `## Paused\n### a.sql\nMissing: ${"a (from b) ".repeat(big / 11)}`],
  ])("%s", (_label, text) => {
    const doc = parseStateDocument(text);
    expect(Array.isArray(doc.problems)).toBe(true);
  });

  it("a 100k-line document", () => {
    const entry = (i: number) => [`### ${i}. m${i}.sql → m${i}.sql.skip`, "**Missing Dependencies**:", `- ❌ **d${i}** (from dim_x)`, "- ✅ s", ""];
    const lines = ["# dim_x Migration State", "**Status**: PAUSED", "## ⏸️ Paused Models"];
    for (let i = 0; lines.length < 100_000; i++) lines.push(...entry(i));
    const doc = parseStateDocument(lines.join("\n"));
    expect(doc.pausedModels.length).toBe(20_000);
    expect(doc.pausedModels[19_999]?.missing[0]?.name).toBe("d19999");
  });

  it("100k unreadable headings keep the problem list short", () => {
    const doc = parseStateDocument(`Status: PAUSED\n## Paused Models\n${"### what is this\n".repeat(100_000)}`);
    expect(doc.problems.length).toBeLessThanOrEqual(101);
    expect(doc.problems.at(-1)).toMatch(/more problems$/);
  });
});
