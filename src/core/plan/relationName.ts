import { foldUnquoted, quoteIdentifier, quotesByDefault, type SqlDialect } from "./sqlDialect.js";

/** A relation as the warehouse stores it: exact names, outermost first (database, schema, table). */
export interface RelationParts {
  parts: string[];
}

/**
 * Reads a manifest `relation_name` (`"acme"."main_gold"."d_user"`, `ANALYTICS.GOLD.D_USER`,
 * `` `proj`.`ds`.`t` ``) into the exact names it denotes. A quoted part keeps its case; an unquoted
 * one is folded as the warehouse would. Anything else (dbt-duckdb's `read_csv_auto('x.csv')` for an
 * external source, a function call) is not a relation name: null.
 */
export function parseRelationName(dialect: SqlDialect, text: string): RelationParts | null {
  const parts: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (i >= n) return null;
    const c = text[i]!;
    if (c === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= n) return null;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      parts.push(value);
    } else if (c === "`") {
      let value = "";
      i++;
      for (;;) {
        if (i >= n) return null;
        const d = text[i]!;
        if (dialect === "bigquery" && d === "\\") {
          const next = text[i + 1];
          if (next === undefined) return null;
          value += next === "n" ? "\n" : next === "r" ? "\r" : next === "t" ? "\t" : next;
          i += 2;
          continue;
        }
        if (d === "`") {
          if (dialect !== "bigquery" && text[i + 1] === "`") {
            value += "`";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += d;
        i++;
      }
      parts.push(value);
    } else {
      const match = /^[^\s."`()'[\];,]+/.exec(text.slice(i));
      if (!match) return null;
      parts.push(foldUnquoted(dialect, match[0]));
      i += match[0].length;
    }
    if (i === n) return parts.length > 0 ? { parts } : null;
    if (text[i] !== ".") return null;
    i++;
  }
}

/**
 * The relation a node creates: its `relation_name` read as a name (null when it is an expression),
 * or, when dbt wrote none, its database/schema/alias fields, quoted or folded as the adapter does.
 */
export function relationParts(dialect: SqlDialect, node: { relationName: string | null; database: string | null; schema: string | null; identifier: string | null }): RelationParts | null {
  // A relation_name that is not a dotted name is an expression (an external file): nothing to name.
  if (node.relationName) return parseRelationName(dialect, node.relationName);
  if (!node.schema || !node.identifier) return null;
  const raw = [node.database, node.schema, node.identifier].filter((p): p is string => typeof p === "string" && p !== "");
  return { parts: quotesByDefault(dialect) ? raw : raw.map((p) => foldUnquoted(dialect, p)) };
}

/** `"db"."schema"."table"` in the dialect's quoting, every part escaped. */
export function qualifiedName(dialect: SqlDialect, relation: RelationParts): string {
  return relation.parts.map((p) => quoteIdentifier(dialect, p)).join(".");
}
