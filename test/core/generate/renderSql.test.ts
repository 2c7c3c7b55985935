import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { physicalName, quoteIdentifier, sqlString } from "../../../src/core/generate/dialect.js";
import { psqlQuoted, renderLoadSql } from "../../../src/core/generate/renderLoadSql.js";
import { renderRollbackSql } from "../../../src/core/generate/renderRollback.js";
import { renderValidationSql } from "../../../src/core/generate/renderValidationSql.js";
import { generateContextOf } from "./generateContextOf.js";

const CSV = 'user_id,zip,joined,"we""ird name",amount\n1,007,13/01/2024,a,1.50\n2,123,05/02/2024,,2.25\n';

/** Reads one double-quoted identifier back, as a SQL lexer does. */
function unquoteIdentifier(sql: string): string | null {
  const m = /^"((?:[^"]|"")*)"$/s.exec(sql);
  return m ? m[1]!.replace(/""/g, '"') : null;
}

/** Reads one single-quoted string back; Snowflake also reads backslash escapes. */
function unquoteString(sql: string, backslashes: boolean): string | null {
  const m = backslashes ? /^'((?:[^'\\]|''|\\.)*)'$/s.exec(sql) : /^'((?:[^']|'')*)'$/s.exec(sql);
  if (!m) return null;
  return backslashes ? m[1]!.replace(/''|\\(.)/gs, (all, c: string | undefined) => (all === "''" ? "'" : c!)) : m[1]!.replace(/''/g, "'");
}

describe("identifiers and strings (RELIABILITY 13)", () => {
  it("an identifier is one quoted token that reads back as exactly the name, embedded quotes doubled", () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(unquoteIdentifier(quoteIdentifier(name))).toBe(name);
      }),
    );
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
  });

  it("a string literal reads back exactly; Snowflake's backslashes are escaped too", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(unquoteString(sqlString("duckdb", text), false)).toBe(text);
        expect(unquoteString(sqlString("postgres", text), false)).toBe(text);
        expect(unquoteString(sqlString("snowflake", text), true)).toBe(text);
      }),
    );
    expect(sqlString("snowflake", "a\\b'c")).toBe("'a\\\\b''c'");
  });

  it("psql meta-command arguments escape backslashes and quotes", () => {
    expect(psqlQuoted("/data/o'neil\\x.csv")).toBe("'/data/o''neil\\\\x.csv'");
  });

  it("Snowflake names simple identifiers in upper case (what dbt's unquoted references resolve to)", () => {
    expect(physicalName("snowflake", "users_store")).toBe("USERS_STORE");
    expect(physicalName("snowflake", "we ird")).toBe("we ird");
    expect(physicalName("postgres", "UsersStore")).toBe("UsersStore");
  });
});

describe("load SQL per dialect", () => {
  it("DuckDB: CREATE TABLE with NOT NULL where no null was seen, then INSERT from read_csv as text with explicit casts", () => {
    const sql = renderLoadSql(generateContextOf(CSV, { dialect: "duckdb" }));
    expect(sql).toContain('create schema if not exists "bronze";');
    expect(sql).toContain(
      'create table "bronze"."users_store" (\n    "user_id" SMALLINT NOT NULL,\n    "zip" VARCHAR NOT NULL,\n    "joined" DATE NOT NULL,\n    "we""ird name" VARCHAR,\n    "amount" DECIMAL(3,2) NOT NULL\n);',
    );
    expect(sql).toContain(`CAST(strptime("c3", '%d/%m/%Y') AS DATE)`);
    expect(sql).toContain(`read_csv('/data/users_store.csv', header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, allow_quoted_nulls = false, columns = {'c1': 'VARCHAR'`);
    expect(sql).not.toMatch(/if not exists "bronze"\."users_store"/);
  });

  it("Postgres: one transaction, a temporary text table filled by \\copy, then typed INSERT", () => {
    const sql = renderLoadSql(generateContextOf(CSV, { dialect: "postgres", csvPath: "/data/o'neil.csv" }));
    expect(sql).toContain("\\set ON_ERROR_STOP on\nbegin;");
    expect(sql).toContain(`\\copy "dbt_unskip_load_users_store" from '/data/o''neil.csv' with (format csv, header true, encoding 'UTF8')`);
    expect(sql).toContain(`TO_DATE("c3", 'DD/MM/YYYY')`);
    expect(sql).toContain('"amount" NUMERIC(3,2) NOT NULL');
    expect(sql.trimEnd().endsWith("commit;")).toBe(true);
  });

  it("Snowflake: upper-case names, a temporary stage with the CSV rules, PUT and COPY INTO with casts", () => {
    const sql = renderLoadSql(generateContextOf(CSV, { dialect: "snowflake" }));
    expect(sql).toContain('create table "BRONZE"."USERS_STORE" (\n    "USER_ID" SMALLINT NOT NULL,');
    expect(sql).toContain('"we""ird name" VARCHAR');
    expect(sql).toContain('create temporary stage "BRONZE"."DBT_UNSKIP_LOAD_USERS_STORE"');
    expect(sql).toContain("empty_field_as_null = true null_if = () error_on_column_count_mismatch = true");
    expect(sql).toContain(`put 'file:///data/users_store.csv' @"BRONZE"."DBT_UNSKIP_LOAD_USERS_STORE"`);
    expect(sql).toContain(`from (select CAST($1 AS SMALLINT), $2, TO_DATE($3, 'DD/MM/YYYY'), $4, CAST($5 AS NUMBER(3,2)) from @"BRONZE"."DBT_UNSKIP_LOAD_USERS_STORE")`);
  });

  it("file names in comments cannot break out of the comment", () => {
    const ctx = generateContextOf(CSV);
    ctx.csv.fileName = "x.csv\ndrop table users;--";
    const sql = renderLoadSql(ctx);
    expect(sql).not.toMatch(/^drop table users/m);
    expect(sql).toContain("-- Load x.csv?drop table users;--");
  });
});

describe("validation and rollback SQL", () => {
  it("checks the row count, each column without nulls, and the key, as one SELECT", () => {
    const sql = renderValidationSql(generateContextOf(CSV));
    expect(sql).toContain(`select 'row count' as check_name, 2 as expected, (select count(*) from "bronze"."users_store") as actual`);
    expect(sql).toContain(`select 'no nulls in user_id', 0, (select count(*) from "bronze"."users_store" where "user_id" is null)`);
    expect(sql).not.toContain("no nulls in we");
    expect(sql).toContain(`select 'unique user_id', 0, (select count(*) - count(distinct "user_id") from "bronze"."users_store")`);
    // The outer select, then a check and its subquery for: the row count, 4 not-null columns, the key.
    expect(sql.match(/\bselect\b/g)!.length).toBe(1 + 2 * (1 + 4 + 1));
  });

  it("a seed is named through ref(), so dbt decides its schema", () => {
    const ctx = generateContextOf("id\n1\n", { mode: "seed" });
    expect(renderValidationSql(ctx)).toContain("(select count(*) from {{ ref('users_store') }}) as actual");
    expect(renderRollbackSql(ctx)).toContain("drop table if exists {{ ref('users_store') }}");
  });

  it("a source's rollback drops only its table, never the schema", () => {
    const sql = renderRollbackSql(generateContextOf(CSV, { dialect: "snowflake" }));
    expect(sql).toContain('drop table if exists "BRONZE"."USERS_STORE";');
    expect(sql.split("\n").filter((l) => /^drop/i.test(l))).toHaveLength(1);
  });
});
