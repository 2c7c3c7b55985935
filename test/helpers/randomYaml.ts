import fc from "fast-check";
import { stringify } from "yaml";

/**
 * Random YAML documents in the shapes dbt properties files take, written by `yaml` itself in random
 * styles, then with comments and blank lines sprinkled in, then (for `damaged`) edited at random
 * places. One generator for the differential tests of every YAML tier (simpleYaml.test.ts,
 * fastPyYaml.test.ts, yamlTruth.int.test.ts).
 *
 * `blockScalars`: strings may also be written as block scalars (`|`, `>`), and longer multi-line
 * strings are generated. `sharedValues`: documents hold a shared sub-value several times, which
 * `yaml` writes as an anchor and aliases.
 */
export function randomYaml({ blockScalars, sharedValues }: { blockScalars: boolean; sharedValues: boolean }) {
  const key = fc.oneof(
    {
      weight: 12,
      arbitrary: fc.constantFrom("name", "description", "models", "sources", "tables", "columns", "config", "tags", "enabled", "versions", "v", "meta", "data_tests", "+schema", "model-paths", "<<", "a.b"),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
  const scalarText = fc.oneof(
    { weight: 10, arbitrary: fc.stringMatching(blockScalars ? /^[A-Za-z][A-Za-z0-9 _.,/()'"-]{0,40}$/ : /^[A-Za-z][A-Za-z0-9 _.,/()-]{0,12}$/) },
    { weight: blockScalars ? 3 : 1, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _.,:#'"-]{0,30}(\n[A-Za-z0-9 _.,:#-]{0,30}){1,4}\n?$/) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        ...["x", "Primary key.", "true", "False", "null", "~", "1", "-2", "+3", "1.5", "0x1F", "yes", "-x", "it's", "ü", "a#b", "no", "Off", "ON", "y", "n"],
        ...["08", "017", "1_0", "12:30", "1e5", "2024-01-01", "-0", ".inf", "=", "<<"],
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        ...["a: b", "a #b", "#c", "'q'", '"q"', "[x]", "{x}", "&a", "*a", "!t", "|", ">", "%", "@", "`", " lead", "trail ", "", "a\nb"],
        ...["tab\there", "back\\slash", "- x", "a:", "  indented\nline"],
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const scalar = fc.oneof(
    { weight: 10, arbitrary: scalarText },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.double({ noNaN: true }) },
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("list"), tie("map")),
    list: fc.array(tie("node"), { maxLength: 4 }),
    map: fc.dictionary(key, tie("node"), { maxKeys: 5 }),
  })).node;
  // Shared sub-values: `yaml` writes the second use as an alias of the first.
  const withShared = fc.tuple(fc.dictionary(key, value, { maxKeys: 5 }), value, fc.array(key, { maxLength: 4 })).map(([doc, shared, at]) => {
    const out: Record<string, unknown> = { ...doc };
    if (typeof shared === "object" && shared !== null) for (const k of at) out[`${k}_s`] = shared;
    return out;
  });
  const stringTypes = ["PLAIN", "PLAIN", "QUOTE_SINGLE", "QUOTE_DOUBLE", ...(blockScalars ? ["BLOCK_FOLDED", "BLOCK_LITERAL"] : [])];
  const options = fc.record({
    indent: fc.constantFrom(2, 4),
    indentSeq: fc.boolean(),
    defaultStringType: fc.constantFrom(...stringTypes),
    defaultKeyType: fc.constantFrom(null, "PLAIN", "PLAIN", "PLAIN"),
    blockQuote: blockScalars ? fc.constantFrom<true | "folded" | "literal">(true, "folded", "literal") : fc.constant(false),
    flowCollectionPadding: fc.boolean(),
    collectionStyle: fc.constantFrom("any", "block", "block", "flow"),
    lineWidth: fc.constantFrom(0, 80, 40, 20),
  });
  const document = fc.oneof({ weight: 9, arbitrary: sharedValues ? withShared : fc.dictionary(key, value, { maxKeys: 5 }) }, { weight: 1, arbitrary: value });
  const decorated = fc.tuple(document, options, fc.array(fc.tuple(fc.nat(), fc.constantFrom("", "# c", "  # c", "   ")), { maxLength: 4 })).map(([v, o, extras]) => {
    let text: string;
    try {
      text = stringify(v, o as never);
    } catch {
      text = stringify(v);
    }
    const lines = text.split("\n");
    for (const [at, extra] of extras) lines.splice(at % (lines.length + 1), 0, extra);
    return lines.join("\n");
  });
  const edit = fc.constantFrom(
    ...[" ", "  ", "-", "- ", ":", ": ", "#", " #", "'", '"', "\n", "[", "]", ",", "{", "}", "\t", "&", "*", "!", "?", "\r", "&a ", "*a"],
    ...["<<: ", "|", ">", ">-\n  ", "|+", "\n  ", "\r\n", "\n#c\n", "---\n", "%"],
  );
  const damaged = fc.tuple(decorated, fc.array(fc.tuple(fc.nat(), fc.nat(3), edit), { maxLength: 3 })).map(([text, edits]) => {
    let out = text;
    for (const [at, remove, insert] of edits) {
      const i = at % (out.length + 1);
      out = out.slice(0, i) + insert + out.slice(i + remove);
    }
    return out;
  });
  return { value, decorated, damaged };
}
