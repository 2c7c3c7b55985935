import { UserError } from "../core/userError.js";

/** A commit id as GitHub writes it (SHA-1 or SHA-256). */
export const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** owner/name as GitHub allows them (no `.` or `..` as a name). */
export const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/(?!\.\.?$)[A-Za-z0-9_.-]+$/;

/** One key of a payload object, or undefined when the value is not an object. */
export function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The one way an event payload's missing or malformed field is reported. */
export function badField(event: string, path: string): UserError {
  return new UserError(`the ${event} event payload has no valid ${path}`);
}
