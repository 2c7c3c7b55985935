// A fast-check arbitrary for realistic state documents in the many ways people write them, together
// with what a reader should find in each.
import fc from "fast-check";

export interface ExpectedDependency {
  name: string;
  kind: "ref" | "source";
  expectedFrom: string | null;
}

export interface ExpectedModel {
  name: string;
  file: string;
  location: string;
  missing: ExpectedDependency[];
  present: string[];
}

export interface GeneratedDocument {
  text: string;
  dimension: string;
  status: string;
  models: ExpectedModel[];
  unknownHeadings: string[];
  eol: "\n" | "\r\n";
}

interface Style {
  emoji: boolean;
  bold: boolean;
  numbering: boolean;
  counts: boolean;
  marks: boolean;
  heading: "arrow" | "ascii-arrow" | "skip-name" | "bare";
  fromStyle: "paren" | "dash";
  statusStyle: "bold" | "plain" | "list";
  eol: "\n" | "\r\n";
  bom: boolean;
  trailing: "" | " " | "\t";
}

// Words a reader cannot take for a name (`- none`) are left out.
const identifier = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}(__[a-z0-9]{1,6})?$/).filter((name) => !["none", "na", "tbd", "nothing"].includes(name));
const words = fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 6 }).map((w) => w.join(" "));

const dependency = fc.record({
  name: identifier,
  source: fc.boolean(),
  from: fc.option(
    identifier.map((d) => `dim_${d}`),
    { nil: null },
  ),
});

const model = fc.record({
  name: identifier,
  dir: fc.constantFrom("models/gold", "models/silver/silver_mas", "models"),
  missing: fc.array(dependency, { maxLength: 3 }),
  present: fc.array(identifier, { maxLength: 3 }),
});

const style: fc.Arbitrary<Style> = fc.record({
  emoji: fc.boolean(),
  bold: fc.boolean(),
  numbering: fc.boolean(),
  counts: fc.boolean(),
  marks: fc.boolean(),
  heading: fc.constantFrom("arrow", "ascii-arrow", "skip-name", "bare"),
  fromStyle: fc.constantFrom("paren", "dash"),
  statusStyle: fc.constantFrom("bold", "plain", "list"),
  eol: fc.constantFrom("\n", "\r\n"),
  bom: fc.boolean(),
  trailing: fc.constantFrom("", " ", "\t"),
});

const unknownSection = fc.record({ title: words, body: fc.array(words, { maxLength: 4 }) });

export const stateDocumentArbitrary: fc.Arbitrary<GeneratedDocument> = fc
  .record({
    dimension: identifier.map((d) => `dim_${d}`),
    status: fc.constantFrom("PAUSED - Awaiting Dependencies", "PAUSED", "PAUSED (2 models blocked)"),
    models: fc.uniqueArray(model, { minLength: 1, maxLength: 4, selector: (m) => m.name }),
    before: fc.array(unknownSection, { maxLength: 2 }),
    after: fc.array(unknownSection, { maxLength: 2 }),
    style,
  })
  .map(({ dimension, status, models, before, after, style: s }) => {
    const lines: string[] = [];
    const b = (text: string): string => (s.bold ? `**${text}**` : text);
    const e = (emoji: string): string => (s.emoji ? `${emoji} ` : "");
    const field = (key: string, value: string): string => {
      if (key === "Status" && s.statusStyle === "list") return `- **Status:** ${value}`;
      if (key === "Status" && s.statusStyle === "plain") return `Status: ${value}`;
      return `${b(key)}: ${value}`;
    };
    const unknownHeadings: string[] = [];
    const addUnknown = (section: { title: string; body: string[] }): void => {
      const heading = `Notes ${section.title}`;
      unknownHeadings.push(heading);
      lines.push(`## ${heading}`, ...section.body, "");
    };

    lines.push(`# ${dimension} Migration State`, "");
    lines.push(field("Migration ID", `${dimension}_20251020`), field("Status", status));
    lines.push(field("Date", "2025-10-20"), field("Branch", `migrate/${dimension}`), "");
    before.forEach(addUnknown);
    lines.push(`## ${e("⏸️")}Paused Models${s.counts ? ` (${models.length}/10)` : ""}`, "");

    const expected = models.map((m, index): ExpectedModel => {
      const location = `${m.dir}/${m.name}.sql.skip`;
      const number = s.numbering ? `${index + 1}. ` : "";
      const title = {
        arrow: `${m.name}.sql → ${m.name}.sql.skip`,
        "ascii-arrow": `${m.name}.sql -> ${m.name}.sql.skip`,
        "skip-name": `${m.name}.sql.skip`,
        bare: m.name,
      }[s.heading];
      const file = {
        arrow: `${m.name}.sql`,
        "ascii-arrow": `${m.name}.sql`,
        "skip-name": `${m.name}.sql.skip`,
        bare: `${m.name}.sql.skip`,
      }[s.heading];
      lines.push(`### ${number}${title}`);
      lines.push(field("Status", `INCOMPLETE - Missing ${m.missing.length} dependencies`));
      lines.push(field("Location", `\`${location}\``), "");
      if (m.missing.length > 0) {
        lines.push(`${b("Missing Dependencies")}:`);
        for (const dep of m.missing) {
          const name = dep.source ? `source: raw.${dep.name}` : dep.name;
          const from = dep.from === null ? "" : s.fromStyle === "paren" ? ` (from ${dep.from})` : ` - from ${dep.from}`;
          lines.push(`- ${s.marks ? "❌ " : ""}${b(name)}${from}`);
        }
        lines.push("");
      }
      if (m.present.length > 0) {
        lines.push(`${b("Has Dependencies")}${s.counts ? ` (${m.present.length}/${m.present.length + m.missing.length})` : ""}:`);
        for (const dep of m.present) lines.push(`- ${s.marks ? "✅ " : ""}${dep}`);
        lines.push("");
      }
      return {
        name: m.name,
        file,
        location,
        missing: m.missing.map((dep) => ({
          name: dep.source ? `raw.${dep.name}` : dep.name,
          kind: dep.source ? "source" : "ref",
          expectedFrom: dep.from,
        })),
        present: m.present,
      };
    });

    lines.push(`## ${e("🎯")}Resume Instructions`, "", "1. Migrate the missing dimensions.", "");
    after.forEach(addUnknown);
    const body = lines.map((line) => (line === "" ? line : `${line}${s.trailing}`)).join(s.eol);
    return {
      text: `${s.bom ? "\uFEFF" : ""}${body}${s.eol}`,
      dimension,
      status,
      models: expected,
      unknownHeadings,
      eol: s.eol,
    };
  });
