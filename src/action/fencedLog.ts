import { randomBytes } from "node:crypto";
import * as core from "@actions/core";

/**
 * Writes text that holds names from the repository (or tool output) to the job log with workflow
 * commands switched off: a line such as `::add-mask::` or `::error::` inside it is printed, not
 * obeyed. The token is random per call, so the text cannot turn commands back on.
 */
export function logFenced(text: string): void {
  const token = randomBytes(16).toString("hex");
  core.info(`::stop-commands::${token}`);
  core.info(text.replace(/\n$/, ""));
  core.info(`::${token}::`);
}
