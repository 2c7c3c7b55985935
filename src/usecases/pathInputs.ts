import { resolve } from "node:path";

/**
 * Path inputs (the CLI's options, the Action's inputs) are resolved once, where they come in, and
 * the same way for both: against the folder the tool was started in (the CLI's current folder, the
 * Action's workspace). Everything after works with absolute paths, so no later step (dbt started in
 * the project folder, a scratch copy) reads a relative path against another folder.
 */
export function resolvePathInput(base: string, value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : resolve(base, value);
}
