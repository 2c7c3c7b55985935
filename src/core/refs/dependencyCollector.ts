import type { Dependency, Extraction } from "../types.js";

/** Thrown when evaluation has done more work than any real model needs (runaway loops or macros). */
export class BudgetExceeded extends Error {}

const MAX_WARNINGS = 50;

/**
 * Accumulates what an extraction finds: dependencies (de-duplicated, first occurrence kept),
 * literal config, warnings (capped, so a pathological file cannot flood a report), and the step
 * budget that guarantees evaluation ends.
 */
export class DependencyCollector {
  private readonly dependencies: Dependency[] = [];
  private readonly seen = new Set<string>();
  private readonly config: Record<string, unknown> = {};
  private readonly warnings: string[] = [];
  private readonly warned = new Set<string>();
  private droppedWarnings = 0;
  private steps = 0;

  constructor(private readonly maxSteps: number) {}

  add(dependency: Dependency): void {
    const key = dependencyKey(dependency);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.dependencies.push(dependency);
  }

  setConfig(key: string, value: unknown): void {
    Object.defineProperty(this.config, key, { value, enumerable: true, writable: true, configurable: true });
  }

  warn(message: string): void {
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
    return { dependencies: [...this.dependencies], config: { ...this.config }, warnings };
  }
}

// Fields are joined with a character that cannot occur in names; null is kept apart from "".
function dependencyKey(dependency: Dependency): string {
  const field = (value: string | null): string => (value === null ? "\u0001" : value);
  switch (dependency.type) {
    case "ref":
      return ["ref", field(dependency.package), dependency.name, field(dependency.version)].join("\u0000");
    case "source":
      return ["source", dependency.source, dependency.table].join("\u0000");
    case "dynamic":
      return ["dynamic", dependency.call, dependency.expression].join("\u0000");
  }
}
