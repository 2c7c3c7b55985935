import type { RootCause } from "../readiness/readinessReport.js";
import { codeSpan } from "./codeSpan.js";

/** A root cause's `unreadFile` in Markdown: "`.snap_hidden.sql` exists; dbt does not read files whose names start with '.'". */
export function unreadFileMarkdown(unread: NonNullable<RootCause["unreadFile"]>): string {
  return `${codeSpan(unread.file.slice(unread.file.lastIndexOf("/") + 1))} exists; ${unread.why}`;
}
