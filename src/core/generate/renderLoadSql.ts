import { castExpression, columnIdentifier } from "./columnPlan.js";
import { neutraliseControlCharacters } from "../render/controlCharacters.js";
import { physicalName, qualifiedName, quoteIdentifier, sqlString } from "./dialect.js";
import type { GenerateContext } from "./generateContext.js";

/**
 * CREATE TABLE and the load for a source. Every dialect reads the file as text first and casts
 * each column explicitly, so a load means exactly what the inference saw: an empty unquoted field
 * is NULL, `""` is an empty string, and dates in DD/MM/YYYY are converted column by column. The
 * table is created without IF NOT EXISTS: an existing table is never appended to. DuckDB and
 * Postgres run it as one transaction, so a load that fails leaves no table behind and can be rerun.
 */
export function renderLoadSql(ctx: GenerateContext): string {
  const table = qualifiedName(ctx.dialect, ctx.schema, ctx.name);
  const schema = quoteIdentifier(physicalName(ctx.dialect, ctx.schema));
  const definitions = ctx.columns.map((c) => `    ${columnIdentifier(c)} ${c.sqlType}${c.notNull ? " NOT NULL" : ""}`).join(",\n");
  const columnList = ctx.columns.map(columnIdentifier).join(", ");
  const header = [
    `-- Load ${neutraliseControlCharacters(ctx.csv.fileName, "mask")} into ${table} (${ctx.dialect}), written by dbt-unskip generate on ${ctx.today}.`,
    `-- ${ctx.profile.rows.toLocaleString("en-US")} rows; every column typed from every row. ${runHint(ctx)}`,
    `-- If it stops half-way, ${neutraliseControlCharacters(ctx.display(ctx.paths.rollbackSql), "mask")} drops the table again.`,
  ];
  const create = [`create schema if not exists ${schema};`, `create table ${table} (\n${definitions}\n);`];
  switch (ctx.dialect) {
    case "duckdb": {
      const staged = ctx.columns.map((_, i) => `'c${i + 1}': 'VARCHAR'`).join(", ");
      const select = ctx.columns.map((c, i) => `    ${castExpression("duckdb", c, `"c${i + 1}"`)}`).join(",\n");
      const read = `read_csv(${sqlString("duckdb", ctx.csv.path)}, header = true, delim = ',', quote = '"', escape = '"', ` + `auto_detect = false, allow_quoted_nulls = false, columns = {${staged}})`;
      // One transaction (DuckDB's DDL is transactional): an insert that fails rolls the CREATE back
      // too, so no empty table stays behind and the same file can be run again.
      return [...header, "begin transaction;", ...create, `insert into ${table} (${columnList})\nselect\n${select}\nfrom ${read};`, "commit;", ""].join("\n");
    }
    case "postgres": {
      const temp = quoteIdentifier(`dbt_unskip_load_${ctx.name}`);
      const staged = ctx.columns.map((_, i) => `"c${i + 1}" text`).join(", ");
      const select = ctx.columns.map((c, i) => `    ${castExpression("postgres", c, `"c${i + 1}"`)}`).join(",\n");
      return [
        ...header,
        "\\set ON_ERROR_STOP on",
        "begin;",
        ...create,
        `create temporary table ${temp} (${staged}) on commit drop;`,
        `\\copy ${temp} from ${psqlQuoted(ctx.csv.path)} with (format csv, header true, encoding 'UTF8')`,
        `insert into ${table} (${columnList})\nselect\n${select}\nfrom ${temp};`,
        "commit;",
        "",
      ].join("\n");
    }
    case "snowflake": {
      const stage = `${schema}.${quoteIdentifier(physicalName("snowflake", `dbt_unskip_load_${ctx.name}`))}`;
      const select = ctx.columns.map((c, i) => `${castExpression("snowflake", c, `$${i + 1}`)}`).join(", ");
      const format =
        "type = csv field_delimiter = ',' skip_header = 1 field_optionally_enclosed_by = '\"' escape_unenclosed_field = none " +
        "empty_field_as_null = true null_if = () error_on_column_count_mismatch = true trim_space = false encoding = 'UTF8' skip_byte_order_mark = true";
      return [
        ...header,
        ...create,
        `create temporary stage ${stage}\n    file_format = (${format});`,
        `put ${sqlString("snowflake", `file://${ctx.csv.path}`)} @${stage} auto_compress = true overwrite = true;`,
        `copy into ${table} (${columnList})\n    from (select ${select} from @${stage})\n    on_error = abort_statement;`,
        "",
      ].join("\n");
    }
  }
}

function runHint(ctx: GenerateContext): string {
  switch (ctx.dialect) {
    case "duckdb":
      return 'Run it with the duckdb CLI, or through dbt from the project folder: dbt show --inline "$(cat load.sql)" --limit -1';
    case "postgres":
      return "Run it with psql (\\copy reads the file on this machine): psql -f load.sql";
    case "snowflake":
      return "Run it with SnowSQL (PUT uploads the file from this machine): snowsql -f load.sql";
  }
}

/**
 * A psql meta-command argument: inside single quotes psql reads `''` as a quote and processes
 * backslash escapes, so both are escaped. (Line breaks are refused before we get here.)
 */
export function psqlQuoted(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}
