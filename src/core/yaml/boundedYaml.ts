import { isAlias, isCollection, isPair, parseDocument, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from "yaml";

/**
 * The one place YAML from a user's repository is parsed (dbt_project.yml, properties files, the
 * config file, the `target-path` lookup). Whatever a file holds, reading it takes bounded time and
 * memory: alias expansion is capped (a "billion laughs" file is refused, not expanded), nesting is
 * capped, and a stack overflow inside the parser is an error about the file, never a crash.
 * Callers name the file in their problem. See /work/notes/yaml-choke-point.md: change the parse
 * options passed in here, never parse YAML anywhere else.
 */

/** Deeper than any real dbt or config file (dbt's own examples stay under 15). */
export const MAX_YAML_DEPTH = 100;
/** `yaml`'s weighted alias budget: real files use a handful of aliases; a bomb needs millions. */
export const MAX_YAML_ALIAS_COUNT = 1000;

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

export type BoundedYaml = { doc: Document; value: unknown } | { error: { message: string; line?: number } };

/**
 * `prepare`: run on the parsed document before it is turned into data (only when it has no error and
 * is within the depth cap): an error it returns is the reading's error; it may set the value of a
 * scalar node (the full path of parseYamlDocument reads a few scalars as PyYAML does, see pyYaml.ts).
 */
export function parseBoundedYaml(text: string, options: YamlOptions = {}, prepare?: (doc: Document) => { message: string; line?: number } | null): BoundedYaml {
  let doc: Document;
  try {
    doc = parseDocument(text, { prettyErrors: true, ...options });
  } catch (error) {
    return { error: { message: describeThrown(error) } };
  }
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const overflow = /Maximum call stack size exceeded/.test(first.message);
    const message = overflow ? nestedTooDeeply() : `invalid YAML: ${first.message.split("\n")[0] ?? "invalid YAML"}`;
    return { error: { message, ...(line ? { line } : {}) } };
  }
  const deep = tooDeep(doc, text);
  if (deep !== null) return { error: { message: nestedTooDeeply(), ...(deep.line ? { line: deep.line } : {}) } };
  const refused = prepare?.(doc) ?? null;
  if (refused !== null) return { error: refused };
  try {
    return { doc, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) };
  } catch (error) {
    return { error: { message: describeThrown(error) } };
  }
}

function nestedTooDeeply(): string {
  return `YAML nested more than ${MAX_YAML_DEPTH} levels deep; refused`;
}

function describeThrown(error: unknown): string {
  if (error instanceof RangeError) return nestedTooDeeply();
  const message = error instanceof Error ? error.message : String(error);
  if (/alias/i.test(message)) {
    return `too many YAML aliases (over ${MAX_YAML_ALIAS_COUNT} expansions, an alias bomb?); refused`;
  }
  return `invalid YAML: ${message.split("\n")[0]}`;
}

/** The first node nested deeper than the cap, walked without recursion; null when none. */
function tooDeep(doc: Document, text: string): { line?: number } | null {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || node === undefined || isAlias(node)) continue;
    if (isPair(node)) {
      stack.push({ node: node.key, depth }, { node: node.value, depth });
      continue;
    }
    if (!isCollection(node)) continue;
    if (depth >= MAX_YAML_DEPTH) {
      const offset = node.range?.[0];
      return offset === undefined ? {} : { line: lineAt(text, offset) };
    }
    for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
  }
  return null;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * The parse step alone (no conversion to data, so no alias expansion): for code that needs the
 * document itself, such as tests comparing readers. Data for the tool always comes from
 * parseBoundedYaml.
 */
export function parseYamlSyntax(text: string, options: YamlOptions = {}): Document {
  return parseDocument(text, options);
}
