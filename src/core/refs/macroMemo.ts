import { createStringOwner, ownString } from "../project/ownedStrings.js";
import type { Dependency, MacroDefinition, MacroIndex } from "../types.js";
import { dependencyKey, type CollectorEvent, type CollectorRecording, type DependencyCollector } from "./dependencyCollector.js";
import type { ParseContext } from "./parseContext.js";
import type { Value } from "./jinjaValue.js";

// Real projects call the same project macros with the same literal arguments in model after model
// (`safe_cast("'unknown'", 'varchar')`, `surrogate_key(['a', 'b'])`): the call's effect is then the
// same every time, except for the line it is written on. A call of a project macro is remembered
// (per macro index, parse context and project name, so across the models of one build) as what it
// did to the collector, how many steps it took and what it returned, and replayed instead of run again.
//
// What a call can see is its key: the macro, the values of its arguments, the macros entered to get
// there (recursion and depth checks, warning texts) and the evaluator's fixed options. A call is
// remembered only when a replay is provably the same as a run:
// - every argument is a literal value, a list or dict of them, a `oneOf` of them, or a builtin;
// - the arguments are not changed by the call (a list `append`ed to is not remembered);
// - the returned value holds no list or dict (the caller could change it, and would change the cache);
// - nothing in the call touched what depends on more than the call (config(), `enabled`), and
//   `conditional` was balanced;
// - every line the call recorded is the call's own line (replaced by the new call's line);
// - the steps it took fit in the budget left (else the call runs and stops where it would have).
// `conditional` balanced and lines equal to the call's own are invariants of the evaluator today (no
// test can break them from outside): checked so that a change there turns the memo off, not wrong.
// The index and the parse context are read-only by type and built once per build: a changed index
// empties its tables (`indexUnchanged`); a context is told apart by identity, so make a new one.

/** Remembered calls per index; beyond this, new calls are not remembered (old ones still replay). */
const MAX_ENTRIES = 20_000;
/** Arguments nested deeper than this (a list holding itself) are not keyed. */
const MAX_KEY_DEPTH = 20;

/** A recorded event as replayed: an added dependency carries its de-duplication key. */
type MemoEvent = Exclude<CollectorEvent, { type: "add" }> | { type: "add"; dependency: Dependency; key: string };

export interface MemoEntry {
  events: MemoEvent[];
  steps: number;
  line: number;
  value: Value;
}

interface MemoTable {
  projectName: string | undefined;
  context: ParseContext | undefined;
  /** What the index held when the table was filled: an index changed since (it is read-only by type, but a Map) empties it. */
  seen: IndexSnapshot;
  entries: Map<string, MemoEntry>;
}

const tables = new WeakMap<MacroIndex, MemoTable[]>();
const definitionIds = new WeakMap<MacroDefinition, number>();
let nextDefinitionId = 1;
let replays = 0;

/** How many calls were replayed so far in this process (for the tests: the replay path is taken). */
export function memoReplays(): number {
  return replays;
}

/** The remembered calls for this index, context and project name. */
export function memoTable(macros: MacroIndex, context: ParseContext | undefined, projectName: string | undefined): Map<string, MemoEntry> {
  let list = tables.get(macros);
  if (list === undefined) {
    list = [];
    tables.set(macros, list);
  }
  let table = list.find((t) => t.context === context && t.projectName === projectName);
  if (table === undefined) {
    table = { projectName, context, seen: snapshotIndex(macros), entries: new Map() };
    list.push(table);
  } else if (!indexUnchanged(table.seen, macros)) {
    table.seen = snapshotIndex(macros);
    table.entries.clear();
  }
  return table.entries;
}

/** The names and definition objects of an index, in order. */
export interface IndexSnapshot {
  names: string[];
  definitions: MacroDefinition[];
}

export function snapshotIndex(macros: MacroIndex): IndexSnapshot {
  return { names: [...macros.keys()], definitions: [...macros.values()] };
}

/**
 * Whether the index holds exactly what the snapshot saw: the same names bound to the same definition
 * objects, in the same order. Checked once per model that calls a macro (a pass over the index):
 * a table kept across models must not outlive a change of the index (a definition replaced under
 * its name, one added or removed), since a remembered call may have entered any macro.
 */
export function indexUnchanged(snapshot: IndexSnapshot, macros: MacroIndex): boolean {
  if (snapshot.names.length !== macros.size) return false;
  let i = 0;
  for (const [name, definition] of macros) {
    if (snapshot.names[i] !== name || snapshot.definitions[i] !== definition) return false;
    i++;
  }
  return true;
}

/** The key of a call of `definition` from a frame entered through `via`, given its arguments' key. */
export function callKey(definition: MacroDefinition, via: readonly string[], argsKey: string): string {
  let id = definitionIds.get(definition);
  if (id === undefined) {
    id = nextDefinitionId++;
    definitionIds.set(definition, id);
  }
  let key = `${id}|${via.length}`;
  for (const name of via) key += `|${name.length}:${name}`;
  return `${key}(${argsKey})`;
}

/** The arguments' part of a call's key (also taken again after the call, to see whether it changed them); null when they cannot be keyed. */
export function argumentsKey(args: readonly Value[], kwargs: ReadonlyMap<string, Value>): string | null {
  let key = "";
  for (const arg of args) {
    const k = valueKey(arg, 0);
    if (k === null) return null;
    key += `${k},`;
  }
  key += ";";
  for (const [name, value] of kwargs) {
    const k = valueKey(value, 0);
    if (k === null) return null;
    key += `${name.length}:${name}=${k},`;
  }
  return key;
}

/** A self-delimiting text for a value made only of literals, lists, dicts and builtins; null otherwise. */
function valueKey(value: Value, depth: number): string | null {
  if (depth > MAX_KEY_DEPTH) return null;
  switch (value.kind) {
    case "str":
      return `s${value.value.length}:${value.value}`;
    case "num":
      return `n${value.text.length}:${value.text}:${Object.is(value.value, -0) ? "-0" : String(value.value)};`;
    case "bool":
      return value.value ? "T" : "F";
    case "none":
      return "N";
    case "unknown":
      return "U";
    case "builtin":
      return `B${value.name.length}:${value.name}`;
    case "list": {
      let key = "[";
      for (const item of value.items) {
        const k = valueKey(item, depth + 1);
        if (k === null) return null;
        key += k;
      }
      return `${key}]`;
    }
    case "dict": {
      let key = "{";
      for (const [name, entry] of value.entries) {
        const k = valueKey(entry, depth + 1);
        if (k === null) return null;
        key += `${name.length}:${name}=${k}`;
      }
      return `${key}}`;
    }
    case "oneOf": {
      let key = "<";
      for (const option of value.options) {
        const k = valueKey(option, depth + 1);
        if (k === null) return null;
        key += k;
      }
      return `${key}>`;
    }
    case "macro":
      return null;
  }
}

/** Whether a returned value can be handed to many callers: nothing in it can be changed in place. */
function immutable(value: Value): boolean {
  switch (value.kind) {
    case "str":
    case "num":
    case "bool":
    case "none":
    case "unknown":
    case "builtin":
      return true;
    case "oneOf":
      return value.options.every(immutable);
    default:
      return false;
  }
}

/**
 * The entry for a finished run of a call, or null when a replay could differ from it: see the
 * conditions at the top of this file.
 */
export function entryOf(run: { recording: CollectorRecording; steps: number; line: number; value: Value; conditionalBalanced: boolean; argumentsUnchanged: boolean }): MemoEntry | null {
  const { recording } = run;
  if (!recording.cacheable || !run.conditionalBalanced || !run.argumentsUnchanged || !immutable(run.value)) return null;
  for (const event of recording.events) {
    if (event.type === "add" && event.dependency.line !== run.line) return null;
    if (event.type === "unresolved" && event.call.line !== run.line) return null;
  }
  // Copies: the run's own objects went into its model's answer, which its reader owns.
  const events = recording.events.map((event): MemoEvent => {
    if (event.type === "add") return { type: "add", dependency: { ...event.dependency, via: [...event.dependency.via] }, key: dependencyKey(event.dependency) };
    if (event.type === "unresolved") return { type: "unresolved", call: { ...event.call } };
    return event;
  });
  return { events, steps: run.steps, line: run.line, value: run.value };
}

const ownEntry = createStringOwner();

/** Stores an entry unless the table is full. */
export function remember(table: Map<string, MemoEntry>, key: string, entry: MemoEntry): void {
  // Kept while the whole project is extracted: its strings (arguments in the key, ref names) hold
  // their own characters, not views into the model text they were cut from, which can then go
  // (ownedStrings.ts; on the real-shaped 50k project they held 20,000 model texts to the end).
  if (table.size < MAX_ENTRIES) table.set(ownString(key), ownEntry(entry));
}

/** Does again what a remembered call did, as called from `line`. */
export function replay(entry: MemoEntry, collector: DependencyCollector, line: number): void {
  replays++;
  collector.takeSteps(entry.steps);
  for (const event of entry.events) {
    switch (event.type) {
      case "add":
        collector.add({ ...event.dependency, line, via: [...event.dependency.via] }, event.key);
        break;
      case "warn":
        collector.warn(event.message);
        break;
      case "unresolved":
        collector.addUnresolved({ ...event.call, line });
        break;
      case "unknownTarget":
        collector.noteUnknownTarget();
        break;
    }
  }
}
