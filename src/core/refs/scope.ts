import type { Value } from "./jinjaValue.js";

/** Original values of the names assigned since a log was opened (undefined: the name was unset). */
export type UndoLog = Map<string, Value | undefined>;

/**
 * The variables of one template or macro call. Instead of copying maps for every block, each
 * block that limits assignments (a loop iteration, an if-branch, `with`) opens an undo log; the
 * first assignment of a name under it records the name's previous value. Closing a block then
 * costs only what was assigned inside it, whatever the nesting depth.
 */
export class Scope {
  private readonly vars = new Map<string, Value>();
  private readonly logs: UndoLog[] = [];

  has(name: string): boolean {
    return this.vars.has(name);
  }

  get(name: string): Value | undefined {
    return this.vars.get(name);
  }

  set(name: string, value: Value): void {
    const log = this.logs[this.logs.length - 1];
    if (log !== undefined && !log.has(name)) log.set(name, this.vars.get(name));
    this.vars.set(name, value);
  }

  openLog(): void {
    this.logs.push(new Map());
  }

  /** The innermost open log: the names assigned since it was opened. */
  currentLog(): UndoLog | undefined {
    return this.logs[this.logs.length - 1];
  }

  /** Closes the innermost log and puts every name it recorded back as it was. */
  closeLog(): UndoLog {
    const log = this.logs.pop() ?? new Map<string, Value | undefined>();
    for (const [name, original] of log) {
      if (original === undefined) this.vars.delete(name);
      else this.vars.set(name, original);
    }
    return log;
  }
}
