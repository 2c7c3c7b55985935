import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRelationName, qualifiedName, relationParts } from "../../../src/core/plan/relationName.js";
import { quoteIdentifier, sqlDialect, type SqlDialect } from "../../../src/core/plan/sqlDialect.js";

// RELIABILITY 13. Each reader below follows the warehouse's documented rules, written apart from the
// product's quoting so that the two can disagree.
function unquoteDoubled(q: string): string | null {
  if (!q.startsWith('"') || !q.endsWith('"') || q.length < 2) return null;
  const inner = q.slice(1, -1);
  if (inner.replace(/""/g, "").includes('"')) return null; // a lone quote would end the identifier
  return inner.replace(/""/g, '"');
}
function unquoteBigQuery(q: string): string | null {
  if (!q.startsWith("`") || !q.endsWith("`") || q.length < 2) return null;
  let out = "";
  const inner = q.slice(1, -1);
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === "`") return null;
    if (c === "\n") return null; // BigQuery identifiers cannot hold a raw line break
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = inner[++i];
    const escapes: Record<string, string> = { "\\": "\\", "`": "`", n: "\n", r: "\r", t: "\t" };
    if (next === undefined || !(next in escapes)) return null;
    out += escapes[next];
  }
  return out;
}
function unquoteDatabricks(q: string): string | null {
  if (!q.startsWith("`") || !q.endsWith("`") || q.length < 2) return null;
  const inner = q.slice(1, -1);
  if (inner.replace(/``/g, "").includes("`")) return null;
  return inner.replace(/``/g, "`");
}
const READERS: Record<SqlDialect, (q: string) => string | null> = {
  duckdb: unquoteDoubled,
  postgres: unquoteDoubled,
  snowflake: unquoteDoubled,
  ansi: unquoteDoubled,
  bigquery: unquoteBigQuery,
  databricks: unquoteDatabricks,
};
const DIALECTS = Object.keys(READERS) as SqlDialect[];
const nameArb = fc.string({ unit: fc.constantFrom(..."aZ0_ .-'\"`\\$;{}%\n\t\ré"), minLength: 1, maxLength: 16 });

describe("quoteIdentifier", () => {
  it("each dialect's reader gets the exact name back, whatever it holds", () => {
    fc.assert(
      fc.property(fc.constantFrom(...DIALECTS), nameArb, (dialect, name) => {
        expect(READERS[dialect](quoteIdentifier(dialect, name))).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it("escapes as each warehouse documents it", () => {
    expect(quoteIdentifier("duckdb", 'we"ird')).toBe('"we""ird"');
    expect(quoteIdentifier("snowflake", "D_USER")).toBe('"D_USER"');
    expect(quoteIdentifier("bigquery", "a`b\\c")).toBe("`a\\`b\\\\c`");
    expect(quoteIdentifier("databricks", "a`b")).toBe("`a``b`");
  });

  it("maps adapters to dialects", () => {
    expect(["duckdb", "postgres", "redshift", "snowflake", "bigquery", "databricks", "spark", "sqlserver", null].map(sqlDialect)).toEqual([
      "duckdb",
      "postgres",
      "postgres",
      "snowflake",
      "bigquery",
      "databricks",
      "databricks",
      "ansi",
      "ansi",
    ]);
  });
});

describe("relation names from the manifest", () => {
  it("a quoted relation name reads back to its parts, and quoting them again gives the same text", () => {
    fc.assert(
      fc.property(fc.constantFrom(...DIALECTS), fc.array(nameArb, { minLength: 1, maxLength: 3 }), (dialect, parts) => {
        const text = qualifiedName(dialect, { parts });
        expect(parseRelationName(dialect, text)).toEqual({ parts });
      }),
      { numRuns: 1000 },
    );
  });

  it("unquoted parts are folded as the warehouse folds them", () => {
    expect(parseRelationName("snowflake", "analytics.gold.d_user")).toEqual({ parts: ["ANALYTICS", "GOLD", "D_USER"] });
    expect(parseRelationName("postgres", "Analytics.Gold.D_User")).toEqual({ parts: ["analytics", "gold", "d_user"] });
    expect(parseRelationName("duckdb", '"acme"."main_gold"."d_user"')).toEqual({ parts: ["acme", "main_gold", "d_user"] });
    expect(parseRelationName("bigquery", "`my-proj`.`ds`.`t`")).toEqual({ parts: ["my-proj", "ds", "t"] });
  });

  it("an expression (an external file) is no relation, and no fallback pretends it is", () => {
    const external = { relationName: "read_csv_auto('raw_data/users.csv', header = true)", database: "acme", schema: "main", identifier: "users" };
    expect(parseRelationName("duckdb", external.relationName)).toBeNull();
    expect(relationParts("duckdb", external)).toBeNull();
    expect(relationParts("snowflake", { relationName: null, database: "db", schema: "gold", identifier: "d_user" })).toEqual({ parts: ["DB", "GOLD", "D_USER"] });
    expect(relationParts("duckdb", { relationName: null, database: null, schema: "gold", identifier: "D_user" })).toEqual({ parts: ["gold", "D_user"] });
  });
});
