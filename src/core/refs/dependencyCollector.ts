import type { Dependency, Extraction, UnresolvedCall } from "../types.js";

/** Thrown when evaluation has done more work than any real model needs (runaway loops or macros). */
export class BudgetExceeded extends Error {}

const MAX_WARNINGS = 50;

/**
 * What a stretch of evaluation did to the collector, in order (see `startRecording`): enough to do
 * it again elsewhere. `cacheable` turns false on anything a replay could not repeat exactly.
 */
export interface CollectorRecording {
  events: CollectorEvent[];
  cacheable: boolean;
}

export type CollectorEvent = { type: "add"; dependency: Dependency } | { type: "warn"; message: string } | { type: "unresolved"; call: UnresolvedCall } | { type: "unknownTarget" };

/**
 * Accumulates what an extraction finds: dependencies (de-duplicated, first occurrence kept),
 * literal config, warnings (capped, so a pathological file cannot flood a report), and the step
 * budget that guarantees evaluation ends.
 */
export class DependencyCollector {
  private readonly dependencies: Dependency[] = [];
  private readonly seen = new Set<string>();
  // A Map while collecting (objects given many keys one by one are slow to build); an object,
  // keys in the same order, in the result.
  private readonly config = new Map<string, unknown>();
  private readonly warnings: string[] = [];
  private readonly warned = new Set<string>();
  private droppedWarnings = 0;
  private steps = 0;
  /** The verdict of the file's own config(enabled=...) so far (see `Extraction.enabled`). */
  private enabled: boolean | "uncertain" | null = null;
  private readonly unresolved: UnresolvedCall[] = [];
  private readonly unresolvedSeen = new Set<string>();
  /**
   * How many enclosing blocks may not run in dbt (an if whose condition is not known, a loop over
   * unknown items): a config() or return() under them is not certain.
   */
  conditional = 0;
  /** `target.*` was read with no target configured (set through `noteUnknownTarget`). */
  readsUnknownTarget = false;
  /** Open recordings (nested macro calls each keep one), innermost last. */
  private readonly recordings: CollectorRecording[] = [];

  constructor(private readonly maxSteps: number) {}

  /** Steps taken so far. */
  get stepsTaken(): number {
    return this.steps;
  }

  /** Whether `n` more steps stay within the budget (a replay of them cannot throw halfway). */
  canTake(n: number): boolean {
    return this.steps + n <= this.maxSteps;
  }

  /** Counts `n` steps at once (a replayed stretch whose steps `canTake` allowed). */
  takeSteps(n: number): void {
    this.steps += n;
  }

  /** Starts logging every event (also those de-duplicated away) until `stopRecording`. */
  startRecording(): CollectorRecording {
    const recording: CollectorRecording = { events: [], cacheable: true };
    this.recordings.push(recording);
    return recording;
  }

  stopRecording(recording: CollectorRecording): void {
    const i = this.recordings.lastIndexOf(recording);
    if (i >= 0) this.recordings.splice(i, 1);
  }

  private record(event: CollectorEvent): void {
    for (const recording of this.recordings) recording.events.push(event);
  }

  noteUnknownTarget(): void {
    if (this.recordings.length > 0) this.record({ type: "unknownTarget" });
    this.readsUnknownTarget = true;
  }

  /** `key`: the dependency's `dependencyKey`, when the caller has it already (a replay). */
  add(dependency: Dependency, key: string = dependencyKey(dependency)): void {
    if (this.recordings.length > 0) this.record({ type: "add", dependency });
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.dependencies.push(dependency);
  }

  setConfig(key: string, value: unknown): void {
    // The value is a plain object a replay would share between models: not replayed.
    for (const recording of this.recordings) recording.cacheable = false;
    this.config.set(key, value);
  }

  /** A config(enabled=...) call: `value` true/false when known, null when it cannot be known. */
  setEnabled(value: boolean | null): void {
    // Depends on `conditional` as a whole, not only on what the recorded stretch did: not replayed.
    for (const recording of this.recordings) recording.cacheable = false;
    if (this.conditional > 0) {
      // It may or may not apply: certain only when it agrees with what is already decided.
      if (value === null || value !== this.enabled) this.enabled = "uncertain";
      return;
    }
    this.enabled = value === null ? "uncertain" : value;
  }

  /** A call of a macro the engine could not read or that is defined nowhere. */
  addUnresolved(call: UnresolvedCall): void {
    if (this.recordings.length > 0) this.record({ type: "unresolved", call });
    const key = `${call.macro}\u0000${call.reason}`;
    if (this.unresolvedSeen.has(key)) return;
    this.unresolvedSeen.add(key);
    if (this.unresolved.length < MAX_WARNINGS) this.unresolved.push(call);
  }

  warn(message: string): void {
    if (this.recordings.length > 0) this.record({ type: "warn", message });
    if (this.warned.has(message)) return;
    this.warned.add(message);
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else this.droppedWarnings++;
  }

  step(): void {
    if (++this.steps > this.maxSteps) throw new BudgetExceeded("evaluation budget exhausted");
  }

  result(): Extraction {
    const warnings = [...this.warnings];
    if (this.droppedWarnings > 0) warnings.push(`${this.droppedWarnings} more warning(s) not shown`);
    const config: Record<string, unknown> = {};
    for (const [key, value] of this.config) {
      // defineProperty, so that a key such as `__proto__` stays an ordinary key.
      if (key === "__proto__") Object.defineProperty(config, key, { value, enumerable: true, writable: true, configurable: true });
      else config[key] = value;
    }
    return { dependencies: [...this.dependencies], config, warnings, enabled: this.enabled, unresolved: [...this.unresolved], readsUnknownTarget: this.readsUnknownTarget };
  }
}

/** What makes two dependencies the same (line and `via` do not). Fields are joined with a character that cannot occur in names; null is kept apart from "". */
export function dependencyKey(dependency: Dependency): string {
  switch (dependency.type) {
    case "ref":
      return `ref\u0000${field(dependency.package)}\u0000${dependency.name}\u0000${field(dependency.version)}`;
    case "source":
      return `source\u0000${dependency.source}\u0000${dependency.table}`;
    case "dynamic":
      return `dynamic\u0000${dependency.call}\u0000${dependency.expression}`;
  }
}

function field(value: string | null): string {
  return value === null ? "\u0001" : value;
}
