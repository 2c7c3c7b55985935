import type { MacroDefinition, MacroIndex } from "../types.js";
import { lexExpression } from "./expressionLexer.js";
import { ExpressionParser, ParseError } from "./expressionParser.js";
import { scanJinja, type JinjaSegment } from "./jinjaScanner.js";
import { LineIndex } from "./lineIndex.js";
import { parseMacroSignature } from "./macroSignature.js";

export interface MacroFile {
  /** Path relative to the repository root. */
  path: string;
  text: string;
}

const TAG_NAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)/;
const MACRO_NAME = /^\s*macro\s+([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * Finds the `{% macro %}...{% endmacro %}` definitions in macro files and indexes them by name
 * and, when the project name is known, by `project.name`. Comments, raw blocks and strings are
 * respected (they come from the same scanner the models use). Nested definitions belong to their
 * enclosing macro and are not indexed on their own. A name defined twice keeps its first
 * definition, with a warning (dbt itself refuses such a project).
 */
export function indexMacros(
  files: MacroFile[],
  projectName?: string,
  /** Index an installed package's macros: keyed `package.name` only, as dbt resolves them from a model. */
  options: { package?: string; into?: Map<string, MacroDefinition> } = {},
): { macros: MacroIndex; warnings: string[] } {
  const macros = options.into ?? new Map<string, MacroDefinition>();
  const pkg = options.package;
  const warnings: string[] = [];
  for (const file of files) {
    const text = typeof file.text === "string" ? file.text : "";
    const lines = new LineIndex(text);
    const scan = scanJinja(text, lines);
    warnings.push(...scan.warnings.map((w) => `${file.path}: ${w}`));
    for (const definition of findDefinitions(text, scan.segments, lines, file.path, warnings)) {
      const found = pkg === undefined ? definition : { ...definition, package: pkg };
      const key = pkg === undefined ? found.name : `${pkg}.${found.name}`;
      const existing = macros.get(key);
      if (existing !== undefined) {
        warnings.push(`${file.path}:${found.line}: macro ${found.name} is already defined in ${existing.file}:${existing.line}`);
        continue;
      }
      macros.set(key, found);
      if (pkg === undefined && projectName !== undefined && projectName !== "") macros.set(`${projectName}.${found.name}`, found);
    }
  }
  return { macros, warnings };
}

function findDefinitions(text: string, segments: JinjaSegment[], lines: LineIndex, path: string, warnings: string[]): MacroDefinition[] {
  const out: MacroDefinition[] = [];
  let open: { segment: JinjaSegment; signature: ReturnType<typeof parseMacroSignature> | null } | null = null;
  let depth = 0;
  for (const segment of segments) {
    if (segment.kind !== "statement") continue;
    const tag = TAG_NAME.exec(text.slice(segment.start, Math.min(segment.end, segment.start + 64)))?.[1];
    if (tag === "macro") {
      if (depth++ === 0) open = { segment, signature: readSignature(text, segment) };
    } else if (tag === "endmacro" && depth > 0 && --depth === 0 && open !== null) {
      const line = lines.lineAt(open.segment.open);
      if (open.signature === null) {
        warnings.push(`${path}:${line}: unreadable {% macro %} signature`);
        // Kept, marked, so that a call of it is reported instead of looking like one of nothing.
        const name = MACRO_NAME.exec(text.slice(open.segment.start, Math.min(open.segment.end, open.segment.start + 200)))?.[1];
        if (name !== undefined) out.push({ name, params: [], body: "", file: path, line, unreadable: "unreadable {% macro %} signature" });
      } else {
        // The body starts right after the `%}` of the macro tag, on the tag's line.
        const bodyStart = text.indexOf("%}", open.segment.end) + 2;
        out.push({ ...open.signature, body: text.slice(bodyStart, segment.open), file: path, line });
      }
      open = null;
    }
  }
  if (depth > 0 && open !== null) warnings.push(`${path}:${lines.lineAt(open.segment.open)}: {% macro %} without {% endmacro %}`);
  return out;
}

function readSignature(text: string, segment: JinjaSegment): ReturnType<typeof parseMacroSignature> | null {
  const parser = new ExpressionParser(lexExpression(text, segment.start, segment.end));
  try {
    parser.next();
    const signature = parseMacroSignature(parser, text);
    return parser.atEnd() ? signature : null;
  } catch (error) {
    if (error instanceof ParseError) return null;
    throw error;
  }
}
