import type { MacroDefinition, MacroIndex } from "../types.js";
import { compileMacroBody } from "./compileMacroBody.js";
import { DBT_CONTEXT_NAMES, DBT_GLOBAL_MACROS } from "./dbtBuiltins.js";
import type { DependencyCollector } from "./dependencyCollector.js";
import { scanJinja, type JinjaSegment } from "./jinjaScanner.js";
import { LineIndex } from "./lineIndex.js";

/**
 * The fast path of extraction: most models' Jinja is nothing but `{{ ref('x') }}`,
 * `{{ source('s', 't') }}`, `{{ config(key='literal', ...) }}`, and calls with literal arguments of
 * project macros that are themselves that plain (`{{ cents_to_units('amount') }}`, or a macro
 * whose body holds `{{ ref('fx_rates') }}`). For such a template the result is known without
 * compiling and interpreting it, and reading it with a few native regular expressions costs a
 * fraction of warming up the compiler and the interpreter in a fresh process.
 *
 * Also read: the statements generated and hand-written models use around such calls, run the
 * way the interpreter runs them: `{% set xs = ['a', 'b'] %}` (outside blocks) and
 * `{% for x in xs %}...{{ ref(x) }}...{% endfor %}` (once per item), `{% if is_incremental() %}`
 * and `{% if not loop.last %}` (every branch runs; the conditions call nothing the evaluator
 * follows), bare names (`{{ this }}`, `{{ x }}`); and calls of project macros built the same way,
 * such as a macro looping over a list of `(model, label)` tuples passed as a literal. `{# #}`
 * comments and `-- depends_on:` hints need nothing: the scanner drops comments, and a hint is SQL
 * text around a plain `{{ ref() }}`.
 *
 * The accepted forms are a strict subset of what the full path reads, and produce exactly what it
 * produces (the same dependencies in the same order, lines, `via`, config and warnings; and never
 * a template that could exhaust the step budget); anything else (another statement, another call,
 * an argument that is not a plain literal, a string with an escape, a variable that is not a known
 * string or list) makes `readPlainCalls` return false, and the caller runs the full path instead.
 * `test/core/refs/plainCalls.test.ts` holds the two paths to the same answers.
 */

// Whitespace exactly as the expression lexer skips it (not \s, which also matches Unicode spaces
// the lexer turns into operators).
const WS = "[ \\t\\n\\r\\f\\v]*";
// A string literal with no escape: its value is its text between the quotes.
const STR = `'[^'\\\\]*'|"[^"\\\\]*"`;

/** `ref('m')`, `ref('pkg', 'm')`, `source('s', 't')`: name, then one or two string literals. */
const REF_OR_SOURCE = new RegExp(`(${WS})(ref|source)${WS}\\(${WS}(${STR})${WS}(?:,${WS}(${STR})${WS})?\\)${WS}`, "y");

/** A literal config value: a string, true/false/none in either spelling, or a list of strings. */
const VALUE = `${STR}|true|True|false|False|none|None|\\[${WS}(?:(?:${STR})${WS}(?:,${WS}(?:${STR})${WS})*(?:,${WS})?)?\\]`;
const KWARG = `[A-Za-z_][A-Za-z0-9_]*${WS}=${WS}(?:${VALUE})`;
/** `config(k='v', ...)`: keyword arguments only, each a literal value; a trailing comma is allowed. */
const CONFIG = new RegExp(`${WS}config${WS}\\(${WS}(?:${KWARG}${WS}(?:,${WS}${KWARG}${WS})*(?:,${WS})?)?\\)${WS}`, "y");
/** One keyword argument of a config() call already matched by CONFIG. */
const ONE_KWARG = new RegExp(`${WS},?${WS}([A-Za-z_][A-Za-z0-9_]*)${WS}=${WS}(${VALUE})`, "y");
const LIST_ITEM = new RegExp(`(${STR})`, "g");

/** An argument that is a literal: no call in it, so evaluating it has no effect. */
const LITERAL = `${STR}|[0-9]+(?:\\.[0-9]+)?|true|True|false|False|none|None`;
const ARGUMENT = `(?:[A-Za-z_][A-Za-z0-9_]*${WS}=${WS})?(?:${LITERAL}|\\[${WS}(?:(?:${LITERAL})${WS}(?:,${WS}(?:${LITERAL})${WS})*(?:,${WS})?)?\\])`;
/** `name(literal, key=literal, ...)`: a call of something that is not a builtin. */
const OTHER_CALL = new RegExp(`(${WS})([A-Za-z_][A-Za-z0-9_]*)${WS}\\(${WS}(?:${ARGUMENT}${WS}(?:,${WS}${ARGUMENT}${WS})*(?:,${WS})?)?\\)${WS}`, "y");
/** Names the parser or the evaluator treat specially: their calls take the full path. */
const SPECIAL_NAMES = new Set(["ref", "source", "config", "namespace", "dict", "range", "return", "not", "and", "or", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None"]);

/**
 * Reads a template whose every segment is a plain call or one of the plain statements (see above)
 * into `collector`, and returns true; or returns false, having added nothing, when some segment is
 * anything else. `macros`: the project macros the full path would follow.
 * `maxSteps` is the evaluation budget, which the full path would exhaust on an enormous file: such
 * a file is left to it too.
 */
type Action = { kind: "ref" | "source"; at: number; first: string; second: string | undefined } | { kind: "config"; from: number; to: number } | { kind: "macro"; at: number; name: string; effects: PlainEffect[] };

export function readPlainCalls(
  text: string,
  segments: readonly JinjaSegment[],
  collector: DependencyCollector,
  maxSteps: number,
  macros: MacroIndex = new Map(),
  lines: LineIndex = new LineIndex(text),
  /** The full path reports calls of macros defined nowhere (it has a parse context): leave those to it. */
  checkUndefined = false,
): boolean {
  // Most templates that are not plain show it in some segment's first words (`{{ pkg.macro(...) }}`,
  // `{% if var('x') %}`, `{% macro %}`): look at every segment's head before reading any in full.
  if (!plainHeads(text, segments)) return false;
  // Run every segment before adding anything, so that a false answer leaves no trace. Steps are
  // counted as the interpreter and the evaluator would count them, or over-counted (a bound).
  const ops = readOps(text, segments, false);
  if (ops === null) return false;
  const run: Run = { macros, maxSteps, steps: 0, actions: [], checkUndefined };
  if (!evaluateOps(run, text, ops, new Map(), null)) return false;
  // Calls mostly come in text order: count the lines up to each one from the previous one (a loop
  // goes back, and then the line index answers). The first line break at or after `counted` is
  // kept: searching for it again on each call rescanned the rest of a long line every time, which
  // made many calls on one line quadratic.
  let line = 1;
  let counted = 0;
  let nextBreak = text.indexOf("\n");
  const lineAt = (at: number): number => {
    if (at < counted) return lines.lineAt(at);
    while (nextBreak !== -1 && nextBreak < at) {
      line++;
      nextBreak = text.indexOf("\n", nextBreak + 1);
    }
    counted = at;
    return line;
  };
  for (const action of run.actions) {
    switch (action.kind) {
      case "config":
        applyConfig(text, action, collector);
        break;
      case "macro": {
        const at = lineAt(action.at);
        // Every dependency found in a macro shares the macro frame's `via`, as in the evaluator.
        const via = [action.name];
        for (const effect of action.effects) addPlain(collector, effect.kind, effect.first, effect.second, at, via);
        break;
      }
      default:
        addPlain(collector, action.kind, action.first.slice(1, -1), action.second?.slice(1, -1), lineAt(action.at), []);
    }
  }
  return true;
}

/** A segment read into what it does. Offsets point into the text the segments come from. */
type Op =
  | { op: "ref" | "source"; at: number; first: string; second: string | undefined }
  | { op: "config"; from: number; to: number; steps: number }
  /** `ref(name)`: a ref to the string a variable holds. */
  | { op: "varRef"; at: number; name: string; steps: number }
  /** `name(literal, ...)`: a call of a project macro, or of something the evaluator does not follow. */
  | { op: "call"; at: number; name: string; start: number; end: number; steps: number }
  /** An expression without effects: a name, `is_incremental()`, `loop.last`; `call`: a name called. */
  | { op: "none"; call: string | null; steps: number }
  | { op: "set"; name: string; value: Literal; steps: number }
  | { op: "for"; targets: string[]; iter: string; end: number; steps: number }
  | { op: "endfor"; start: number };

/** A value the fast path knows: a string, a list or tuple, or another literal (number, bool, none). */
type Literal = { kind: "str"; value: string } | { kind: "list"; items: Literal[] } | { kind: "other" };

/** A macro being run for a call in the model: what its body adds, in order. */
type MacroCall = { effects: PlainEffect[] };

interface Run {
  macros: MacroIndex;
  checkUndefined: boolean;
  maxSteps: number;
  steps: number;
  actions: Action[];
}

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const WS1 = "[ \\t\\n\\r\\f\\v]+";
/** `{{ name }}`. */
const BARE_NAME = new RegExp(`${WS}(${NAME})${WS}`, "y");
/** `{{ ref(name) }}`. */
const VAR_REF = new RegExp(`(${WS})ref${WS}\\(${WS}(${NAME})${WS}\\)${WS}`, "y");
/** `{% set name = 'literal' %}` or `{% set name = ['literal', ...] %}`. */
const SET = new RegExp(`${WS}set${WS1}(${NAME})${WS}=${WS}(${STR}|\\[${WS}(?:(?:${STR})${WS}(?:,${WS}(?:${STR})${WS})*(?:,${WS})?)?\\])${WS}`, "y");
/** `{% for name in names %}`, `{% for a, b in pairs %}`. */
const FOR = new RegExp(`${WS}for${WS1}(${NAME})(?:${WS},${WS}(${NAME}))?${WS1}in${WS1}(${NAME})${WS}`, "y");
/** `{% if/elif <condition> %}` with a condition that calls nothing the evaluator follows. */
const IF = new RegExp(`${WS}(if|elif)${WS1}(?:(is_incremental)${WS}\\(${WS}\\)|(?:not${WS1})?(loop)\\.(?:first|last))${WS}`, "y");
const KEYWORD = new RegExp(`${WS}(else|endif|endfor)${WS}`, "y");
/** Names that are not plain variables: builtins, keywords, and what the evaluator binds itself. */
const RESERVED_NAMES = new Set([...SPECIAL_NAMES, "loop", "varargs", "kwargs", "caller", "self", "recursive"]);

/**
 * Reads each segment into an op, or gives null when some segment is not one the fast path knows.
 * Blocks must nest (the compiler would warn otherwise); `inMacro`: only refs, names and
 * statements, no config or calls (as `plainMacro` requires of a macro body). Exported for the test
 * that holds `plainHeads` to it.
 */
export function readOps(text: string, segments: readonly JinjaSegment[], inMacro: boolean): Op[] | null {
  const ops: Op[] = [];
  const blocks: { kind: "if" | "for"; at: number; loopCondition?: boolean; sawElse?: boolean }[] = [];
  for (const segment of segments) {
    const steps = 3 + (segment.end - segment.start);
    if (segment.kind === "expression") {
      const op = readExpression(text, segment, steps, inMacro);
      if (op === null) return null;
      // The full path decides `loop.first`/`loop.last` per iteration: a branch on them that does
      // something is left to it. A config() in any branch may or may not apply: also left to it.
      if (op.op !== "none" && blocks.some((b) => b.loopCondition === true)) return null;
      if (op.op === "config" && blocks.some((b) => b.kind === "if")) return null;
      ops.push(op);
      continue;
    }
    const set = matchWhole(SET, text, segment);
    if (set !== null) {
      // Only outside blocks: names set inside a branch or a loop are merged by the interpreter.
      const m = set;
      const name = m[1] as string;
      if (inMacro || blocks.length > 0 || RESERVED_NAMES.has(name)) return null;
      ops.push({ op: "set", name, value: readLiteral(m[2] as string), steps });
      continue;
    }
    const m = matchWhole(FOR, text, segment);
    if (m !== null) {
      const targets = m[2] === undefined ? [m[1] as string] : [m[1] as string, m[2]];
      const iter = m[3] as string;
      if (targets.some((t) => RESERVED_NAMES.has(t)) || RESERVED_NAMES.has(iter) || targets[0] === targets[1]) return null;
      if (blocks.some((b) => b.loopCondition === true)) return null;
      blocks.push({ kind: "for", at: ops.length });
      ops.push({ op: "for", targets, iter, end: -1, steps });
      continue;
    }
    const cond = matchWhole(IF, text, segment);
    if (cond !== null) {
      if (cond[1] === "if") blocks.push({ kind: "if", at: ops.length, loopCondition: cond[3] !== undefined });
      else if (blocks[blocks.length - 1]?.kind !== "if") return null;
      // A branch after `else` never runs (the full path skips it): malformed, left to the full path.
      else if (blocks[blocks.length - 1]?.sawElse === true) return null;
      else if (cond[3] !== undefined) (blocks[blocks.length - 1] as { loopCondition?: boolean }).loopCondition = true;
      // `loop.x` only where a loop binds `loop`.
      if (cond[3] !== undefined && !blocks.some((b) => b.kind === "for")) return null;
      ops.push({ op: "none", call: cond[2] ?? null, steps });
      continue;
    }
    const keyword = matchWhole(KEYWORD, text, segment);
    if (keyword === null) return null;
    const top = blocks[blocks.length - 1];
    switch (keyword[1]) {
      case "else":
      case "endif":
        // An `else` of a `for` runs only when the loop is empty: not a plain statement.
        if (top?.kind !== "if") return null;
        if (keyword[1] === "else") {
          if (top.sawElse === true) return null;
          top.sawElse = true;
        }
        if (keyword[1] === "endif") blocks.pop();
        ops.push({ op: "none", call: null, steps });
        break;
      default: {
        if (top?.kind !== "for") return null;
        blocks.pop();
        (ops[top.at] as Extract<Op, { op: "for" }>).end = ops.length;
        ops.push({ op: "endfor", start: top.at });
      }
    }
  }
  return blocks.length === 0 ? ops : null;
}

/** How every expression readExpression takes begins: a name, then a call's `(` or the segment's end. */
const EXPRESSION_HEAD = new RegExp(`${WS}${NAME}${WS}`, "y");
/**
 * How every statement readOps takes begins (SET, FOR, IF, KEYWORD): `set`, `for`, `else`, `endif`,
 * `endfor` as a whole word, or `if`/`elif` and the first word of a condition IF reads.
 */
const STATEMENT_HEAD = new RegExp(`${WS}(?:(?:set|for|else|endif|endfor)(?![A-Za-z0-9_])|(?:if|elif)${WS1}(?:is_incremental|not|loop)(?![A-Za-z0-9_]))`, "y");

/**
 * False when some segment cannot be read by readOps (outside a macro), judged by its head alone:
 * a necessary condition of readOps' patterns, so a template it passes may still be refused, and one
 * it refuses would have been refused by readOps too (the full path runs either way). It costs one
 * short sticky match per segment, where readOps tries up to seven patterns on each segment, whole
 * `config()` blocks included, until the one it refuses.
 */
export function plainHeads(text: string, segments: readonly JinjaSegment[]): boolean {
  for (const segment of segments) {
    if (segment.kind === "expression") {
      EXPRESSION_HEAD.lastIndex = segment.start;
      if (!EXPRESSION_HEAD.test(text)) return false;
      const after = EXPRESSION_HEAD.lastIndex;
      if (after !== segment.end && !(after < segment.end && text.charCodeAt(after) === 40)) return false; // 40: "("
    } else {
      STATEMENT_HEAD.lastIndex = segment.start;
      if (!STATEMENT_HEAD.test(text) || STATEMENT_HEAD.lastIndex > segment.end) return false;
    }
  }
  return true;
}

/** The pattern's match when it fills the segment exactly, else null. */
function matchWhole(pattern: RegExp, text: string, segment: JinjaSegment): RegExpExecArray | null {
  pattern.lastIndex = segment.start;
  const m = pattern.exec(text);
  return m !== null && pattern.lastIndex === segment.end ? m : null;
}

function readExpression(text: string, segment: JinjaSegment, steps: number, inMacro: boolean): Op | null {
  REF_OR_SOURCE.lastIndex = segment.start;
  const m = REF_OR_SOURCE.exec(text);
  if (m !== null && REF_OR_SOURCE.lastIndex === segment.end) {
    const kind = m[2] as "ref" | "source";
    const second = m[4];
    if (kind === "source" && second === undefined) return null; // a table given by keyword, or none
    return { op: kind, at: segment.start + (m[1] as string).length, first: m[3] as string, second };
  }
  const v = matchWhole(VAR_REF, text, segment);
  if (v !== null) return { op: "varRef", at: segment.start + (v[1] as string).length, name: v[2] as string, steps };
  const bare = matchWhole(BARE_NAME, text, segment);
  if (bare !== null) return RESERVED_NAMES.has(bare[1] as string) ? null : { op: "none", call: null, steps };
  if (inMacro) return null;
  CONFIG.lastIndex = segment.start;
  if (CONFIG.exec(text) !== null && CONFIG.lastIndex === segment.end) {
    const args = { from: text.indexOf("(", segment.start) + 1, to: segment.end };
    return { op: "config", ...args, steps: 3 + configSteps(text, args) };
  }
  // A call of config() (or another name handled apart) that the patterns above did not take: no
  // pattern below takes it either (both read the same name first), so stop before reading its
  // arguments twice more. Real projects' long config() blocks with dicts end here.
  CALL_HEAD.lastIndex = segment.start;
  const head = CALL_HEAD.exec(text);
  if (head !== null && SPECIAL_NAMES.has(head[2] as string)) return null;
  OTHER_CALL.lastIndex = segment.start;
  const call = OTHER_CALL.exec(text);
  if (call !== null && OTHER_CALL.lastIndex === segment.end && !SPECIAL_NAMES.has(call[2] as string)) {
    const name = call[2] as string;
    return { op: "call", at: segment.start + (call[1] as string).length, name, start: segment.start, end: segment.end, steps };
  }
  // A call whose arguments hold tuples (`relations=[('a', 'x'), ...]`): for macros that loop.
  const read = readCall(text, segment.start, segment.end);
  if (read === null || SPECIAL_NAMES.has(read.name)) return null;
  return { op: "call", at: read.at, name: read.name, start: segment.start, end: segment.end, steps };
}

/**
 * Runs ops the way the interpreter runs their instructions: every branch of an `if`, a loop once
 * per item of a known list. Variables are set only outside blocks, so branches never disagree.
 */
function evaluateOps(run: Run, text: string, ops: readonly Op[], scope: Map<string, Literal>, frame: MacroCall | null): boolean {
  const loops: { op: Extract<Op, { op: "for" }>; start: number; items: Literal[]; index: number; saved: Map<string, Literal | undefined> }[] = [];
  let pc = 0;
  while (pc < ops.length) {
    const op = ops[pc] as Op;
    if (run.steps > run.maxSteps) return false;
    switch (op.op) {
      case "ref":
      case "source":
        // The interpreter's instruction, the call, its callee, each argument.
        run.steps += 3 + (op.second === undefined ? 1 : 2);
        if (frame === null) run.actions.push({ kind: op.op, at: op.at, first: op.first, second: op.second });
        else frame.effects.push({ kind: op.op, first: op.first.slice(1, -1), second: op.second?.slice(1, -1) });
        break;
      case "varRef": {
        run.steps += op.steps;
        const value = scope.get(op.name);
        if (value?.kind !== "str") return false;
        const quoted = `'${value.value}'`;
        if (frame === null) run.actions.push({ kind: "ref", at: op.at, first: quoted, second: undefined });
        else frame.effects.push({ kind: "ref", first: value.value, second: undefined });
        break;
      }
      case "config":
        run.steps += op.steps;
        run.actions.push({ kind: "config", from: op.from, to: op.to });
        break;
      case "none":
        // `is_incremental()`: a call the evaluator does not follow, unless something by that name is.
        if (op.call !== null && (scope.has(op.call) || run.macros.has(op.call))) return false;
        run.steps += op.steps;
        break;
      case "call":
        if (scope.has(op.name) || !callMacro(run, text, op)) return false;
        break;
      case "set":
        run.steps += op.steps;
        scope.set(op.name, op.value);
        break;
      case "for": {
        run.steps += op.steps;
        const iterable = scope.get(op.iter);
        if (iterable?.kind !== "list") return false;
        if (iterable.items.length === 0) {
          pc = op.end + 1;
          continue;
        }
        const saved = new Map<string, Literal | undefined>(op.targets.map((t) => [t, scope.get(t)]));
        const loop = { op, start: pc, items: iterable.items, index: 0, saved };
        loops.push(loop);
        if (!bind(scope, op.targets, loop.items[0] as Literal)) return false;
        break;
      }
      case "endfor": {
        const loop = loops[loops.length - 1];
        if (loop === undefined) return false;
        run.steps += 2; // the instruction, and a bound on what binding the next item costs
        if (++loop.index < loop.items.length) {
          if (!bind(scope, loop.op.targets, loop.items[loop.index] as Literal)) return false;
          pc = loop.start + 1;
          continue;
        }
        loops.pop();
        for (const [name, value] of loop.saved) {
          if (value === undefined) scope.delete(name);
          else scope.set(name, value);
        }
      }
    }
    pc++;
  }
  return run.steps <= run.maxSteps;
}

/** Binds a loop's target(s) to one item, as `unpack` does; false when an item does not fit. */
function bind(scope: Map<string, Literal>, targets: string[], item: Literal): boolean {
  if (targets.length === 1) {
    scope.set(targets[0] as string, item);
    return true;
  }
  if (item.kind !== "list" || item.items.length !== targets.length) return false;
  targets.forEach((target, i) => {
    scope.set(target, item.items[i] as Literal);
  });
  return true;
}

/** A call of `op.name`: a plain macro's effects, a looping macro run, or nothing the evaluator follows. */
function callMacro(run: Run, text: string, op: Extract<Op, { op: "call" }>): boolean {
  // The instruction, the call, its callee, and at most one step per character of arguments.
  run.steps += op.steps;
  const definition = run.macros.get(op.name);
  // Not a project macro: one of dbt's, or (with a parse context) one defined nowhere, which the
  // full path reports.
  if (definition === undefined) return !run.checkUndefined || DBT_CONTEXT_NAMES.has(op.name) || DBT_GLOBAL_MACROS.has(op.name);
  // A package's macro called by its bare name, or one that could not be read: the full path says why.
  if (definition.package !== undefined || definition.unreadable !== undefined) return false;
  const plain = plainMacro(definition);
  if (plain !== null) {
    run.steps += plain.steps;
    run.actions.push({ kind: "macro", at: op.at, name: definition.name, effects: plain.effects });
    return true;
  }
  const body = loopingMacro(definition);
  const call = body === null ? null : readCall(text, op.start, op.end);
  if (body === null || call === null) return false;
  // Parameters bound as `invoke` binds them: by position, else by keyword, else the default.
  const scope = new Map<string, Literal>();
  for (const [i, param] of definition.params.entries()) {
    const value = i < call.args.length ? call.args[i] : call.kwargs.get(param.name);
    if (value !== undefined) scope.set(param.name, value);
    else if (param.default !== null) {
      run.steps += param.default.length;
      scope.set(param.name, readLiteral(param.default));
    }
  }
  const frame: MacroCall = { effects: [] };
  if (!evaluateOps(run, body.source, body.ops, scope, frame)) return false;
  run.actions.push({ kind: "macro", at: op.at, name: definition.name, effects: frame.effects });
  return true;
}

const loopingMacros = new WeakMap<MacroDefinition, { source: string; ops: Op[] } | null>();

/**
 * A project macro whose body is plain statements (`for` over its parameters, `if` on `loop`), names
 * and `ref()`s of literals or of variables, with parameter defaults that call nothing and no
 * warnings. Null for any other macro.
 */
function loopingMacro(definition: MacroDefinition): { source: string; ops: Op[] } | null {
  let body = loopingMacros.get(definition);
  if (body === undefined) {
    body = readLoopingMacro(definition);
    loopingMacros.set(definition, body);
  }
  return body;
}

function readLoopingMacro(definition: MacroDefinition): { source: string; ops: Op[] } | null {
  for (const param of definition.params) {
    if (RESERVED_NAMES.has(param.name)) return null;
    if (param.default?.includes("(")) return null;
  }
  const source = typeof definition.body === "string" ? definition.body : "";
  const program = compileMacroBody(definition);
  if (program.warnings.length > 0 || program.macros.size > 0) return null;
  const scan = scanJinja(source);
  if (scan.warnings.length > 0) return null;
  const ops = readOps(source, scan.segments, true);
  return ops === null ? null : { source, ops };
}

// Literal arguments, read by hand: strings without escapes, numbers, constants, and lists and
// tuples of them (a tuple has two items or more; `(x)` is x itself, left to the full path).
const LIT_STR = new RegExp(`${WS}(${STR})`, "y");
const LIT_OTHER = new RegExp(`${WS}(?:[0-9]+(?:\\.[0-9]+)?|true|True|false|False|none|None)(?![A-Za-z0-9_.])`, "y");
const PUNCT = new RegExp(`${WS}([\\[\\](),=])`, "y");
const CALL_HEAD = new RegExp(`(${WS})(${NAME})${WS}\\(`, "y");
const KWARG_NAME = new RegExp(`${WS}(${NAME})${WS}=(?!=)`, "y");

/** `name(literal, key=literal, ...)` filling exactly `start`..`end`, with its values; else null. */
function readCall(text: string, start: number, end: number): { at: number; name: string; args: Literal[]; kwargs: Map<string, Literal> } | null {
  CALL_HEAD.lastIndex = start;
  const head = CALL_HEAD.exec(text);
  if (head === null || CALL_HEAD.lastIndex > end) return null;
  const reader = { text, pos: CALL_HEAD.lastIndex, end };
  const args: Literal[] = [];
  const kwargs = new Map<string, Literal>();
  for (;;) {
    if (punct(reader) === ")") break;
    KWARG_NAME.lastIndex = reader.pos;
    const kwarg = KWARG_NAME.exec(text);
    if (kwarg !== null && KWARG_NAME.lastIndex > end) return null;
    if (kwarg !== null) reader.pos = KWARG_NAME.lastIndex;
    // A positional argument after a keyword one is a syntax error: left to the full path.
    else if (kwargs.size > 0) return null;
    const value = readValue(reader, 0);
    if (value === null) return null;
    if (kwarg !== null) kwargs.set(kwarg[1] as string, value);
    else args.push(value);
    const next = punct(reader, true);
    if (next === ")") break;
    if (next !== ",") return null;
  }
  // Nothing but whitespace after the closing parenthesis.
  if (!/^[ \t\n\r\f\v]*$/.test(text.slice(reader.pos, end)) || reader.pos > end) return null;
  return { at: start + (head[1] as string).length, name: head[2] as string, args, kwargs };
}

interface Reader {
  text: string;
  pos: number;
  end: number;
}

/** The punctuation at the reader (skipping whitespace), consumed when `take` or when it is `)`. */
function punct(reader: Reader, take = false): string | null {
  PUNCT.lastIndex = reader.pos;
  const m = PUNCT.exec(reader.text);
  if (m === null || PUNCT.lastIndex > reader.end) return null;
  const c = m[1] as string;
  if (take || c === ")") reader.pos = PUNCT.lastIndex;
  return c;
}

function readValue(reader: Reader, depth: number): Literal | null {
  if (depth > 4) return null;
  LIT_STR.lastIndex = reader.pos;
  const s = LIT_STR.exec(reader.text);
  if (s !== null && LIT_STR.lastIndex <= reader.end) {
    reader.pos = LIT_STR.lastIndex;
    return { kind: "str", value: (s[1] as string).slice(1, -1) };
  }
  LIT_OTHER.lastIndex = reader.pos;
  if (LIT_OTHER.exec(reader.text) !== null && LIT_OTHER.lastIndex <= reader.end) {
    reader.pos = LIT_OTHER.lastIndex;
    return { kind: "other" };
  }
  const open = punct(reader, true);
  if (open !== "[" && open !== "(") return null;
  const close = open === "[" ? "]" : ")";
  const items: Literal[] = [];
  for (;;) {
    PUNCT.lastIndex = reader.pos;
    const m = PUNCT.exec(reader.text);
    if (m !== null && m[1] === close && PUNCT.lastIndex <= reader.end) {
      reader.pos = PUNCT.lastIndex;
      break;
    }
    const item = readValue(reader, depth + 1);
    if (item === null) return null;
    items.push(item);
    const next = punct(reader, true);
    if (next === close) break;
    if (next !== ",") return null;
  }
  // `(x)` is x, `()` and `(x,)` are rarer still: only tuples of two or more.
  if (open === "(" && items.length < 2) return null;
  return { kind: "list", items };
}

/** The value of a `set` right-hand side matched by SET, or of a parameter default. */
function readLiteral(source: string): Literal {
  const reader = { text: source, pos: 0, end: source.length };
  const value = readValue(reader, 0);
  // Anything not read (a name, an expression) is a value the fast path does not know.
  return value !== null && /^[ \t\n\r\f\v]*$/.test(source.slice(reader.pos)) ? value : { kind: "other" };
}

function addPlain(collector: DependencyCollector, kind: "ref" | "source", first: string, second: string | undefined, line: number, via: string[]): void {
  if (kind === "source") collector.add({ type: "source", source: first, table: second as string, line, via });
  else if (second === undefined) collector.add({ type: "ref", name: first, package: null, version: null, line, via });
  else collector.add({ type: "ref", name: second, package: first, version: null, line, via });
}

/** A dependency a plain macro adds each time it is called (its `ref`/`source` with literals). */
interface PlainEffect {
  kind: "ref" | "source";
  first: string;
  second: string | undefined;
}

const plainMacros = new WeakMap<MacroDefinition, { effects: PlainEffect[]; steps: number } | null>();

/**
 * What calling a project macro does, when its body is plain: only `{{ }}` expressions that are
 * names, literals or `ref`/`source` calls with string literals, no warnings, and parameter defaults
 * without calls (a default is evaluated when its argument is missing). Null for any other macro.
 * `steps` bounds what the evaluator spends on one call.
 */
function plainMacro(definition: MacroDefinition): { effects: PlainEffect[]; steps: number } | null {
  let plain = plainMacros.get(definition);
  if (plain === undefined) {
    plain = readPlainMacro(definition);
    plainMacros.set(definition, plain);
  }
  return plain;
}

function readPlainMacro(definition: MacroDefinition): { effects: PlainEffect[]; steps: number } | null {
  let steps = 0;
  for (const param of definition.params) {
    // A parameter named like a builtin would shadow it in the body.
    if (param.name === "ref" || param.name === "source") return null;
    if (param.default !== null) {
      if (param.default.includes("(")) return null;
      steps += param.default.length;
    }
  }
  const program = compileMacroBody(definition);
  if (program.warnings.length > 0 || program.macros.size > 0) return null;
  const effects: PlainEffect[] = [];
  for (const instruction of program.instructions) {
    if (instruction.op !== "eval") return null;
    const node = instruction.node;
    steps += 2; // the instruction and the node
    if (node.type === "name" || node.type === "str" || node.type === "num" || node.type === "const") continue;
    if (node.type !== "call" || node.callee.type !== "name" || node.kwargs.length > 0 || node.splats.length > 0) return null;
    const kind = node.callee.name;
    if (kind !== "ref" && kind !== "source") return null;
    const args = node.args;
    if (args.length < 1 || args.length > 2 || (kind === "source" && args.length !== 2)) return null;
    const [first, second] = args;
    if (first?.type !== "str" || (second !== undefined && second.type !== "str")) return null;
    effects.push({ kind, first: first.value, second: second?.value });
    steps += 1 + args.length; // the callee and each argument
  }
  return { effects, steps };
}

/** Steps the evaluator takes on a config() call's arguments: one per value, plus one per list item. */
function configSteps(text: string, args: { from: number; to: number }): number {
  let steps = 0;
  forEachKwarg(text, args, (_name, value) => {
    steps += 1 + (value.startsWith("[") ? listItems(value).length : 0);
  });
  return steps;
}

function applyConfig(text: string, args: { from: number; to: number }, collector: DependencyCollector): void {
  // The evaluator gathers keyword arguments in a Map (a repeated key keeps its first place and its
  // last value), then sets each; setting them in order gives the same object.
  forEachKwarg(text, args, (name, value) => {
    const plain = plainValue(value);
    collector.setConfig(name, plain);
    if (name === "enabled") collector.setEnabled(typeof plain === "boolean" ? plain : null);
  });
}

function forEachKwarg(text: string, args: { from: number; to: number }, each: (name: string, value: string) => void): void {
  ONE_KWARG.lastIndex = args.from;
  for (let m = ONE_KWARG.exec(text); m !== null && m.index < args.to; m = ONE_KWARG.exec(text)) {
    each(m[1] as string, m[2] as string);
  }
}

function plainValue(value: string): unknown {
  switch (value) {
    case "true":
    case "True":
      return true;
    case "false":
    case "False":
      return false;
    case "none":
    case "None":
      return null;
  }
  if (value.startsWith("[")) return listItems(value).map((item) => item.slice(1, -1));
  return value.slice(1, -1);
}

function listItems(list: string): string[] {
  return list.match(LIST_ITEM) ?? [];
}
