import type { ReadinessDiff } from "./readinessDiff.js";

/**
 * The PR report as saved for a later `workflow_run` job (fork PRs cannot comment themselves). That
 * job must treat the file as hostile: a fork's workflow wrote it. So it is data only (the poster
 * renders the Markdown itself), every field is checked against this schema, strings are bounded,
 * and enumerations are closed, since some are printed as they are.
 */
export const SAVED_REPORT_SCHEMA = "dbt-unskip/pull-request-readiness@1";

export interface SavedPullRequestReport {
  schema: typeof SAVED_REPORT_SCHEMA;
  pullRequest: { number: number; baseSha: string; headSha: string };
  changed: boolean;
  diffs: ReadinessDiff[];
}

const text = { type: "string", maxLength: 4096 } as const;
const nullableText = { type: ["string", "null"], maxLength: 4096 } as const;
const sha = { type: "string", pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$" } as const;
const status = { enum: ["ready", "blocked", "needs-investigation"] } as const;
const change = { enum: ["A", "M", "D", "R", null] } as const;
const list = (items: object, maxItems = 100_000) => ({ type: "array", items, maxItems }) as const;
const object = (properties: Record<string, object>, required = Object.keys(properties)) => ({ type: "object", properties, required }) as const;
const dependency = object({ type: { enum: ["ref", "source"] }, name: text });
/** Optional (added): a file at head that looks like it provides the dependency but dbt never reads. */
const unreadFile = object({ file: text, why: text });
const cause = {
  oneOf: [
    object({ kind: { const: "now-available" }, dependency, now: { enum: ["available", "paused-ready"] }, file: nullableText, change }),
    object({ kind: { const: "no-longer-needed" }, dependency, file: nullableText }),
    object({ kind: { const: "new-paused-file" }, file: text, change }),
    object({ kind: { const: "now-unavailable" }, dependency, file: nullableText, change, unreadFile }, ["kind", "dependency", "file", "change"]),
    object({ kind: { const: "new-dependency" }, dependency, file: nullableText, unreadFile }, ["kind", "dependency", "file"]),
    object({ kind: { enum: ["reason-cleared", "reason-added"] }, reason: text }),
  ],
};
const modelChange = object({
  name: text,
  file: text,
  dimension: nullableText,
  was: { enum: ["ready", "blocked", "needs-investigation", null] },
  now: status,
  because: list(cause, 1000),
  needsRestored: list(text, 10_000),
  blockedBy: list(text, 10_000),
});
const count = { type: "integer", minimum: 0, maximum: 10_000_000 } as const;
const diff = object({
  project: object({ name: text, dir: text }),
  newlyReady: list(modelChange),
  newlyBlocked: list(modelChange),
  restored: list(object({ name: text, file: text })),
  brokenActive: list(
    object({
      file: text,
      line: { type: ["integer", "null"], minimum: 1 },
      model: text,
      dependency: { oneOf: [dependency, { type: "null" }] },
      status: { enum: ["paused", "missing"] },
      isNew: { type: "boolean" },
      removedBy: { oneOf: [object({ file: text, change: { enum: ["A", "M", "D", "R"] } }), { type: "null" }] },
      message: text,
    }),
  ),
  head: object({ paused: count, ready: count, blocked: count, needsInvestigation: count }),
  headModels: list(object({ name: text, file: text, dimension: nullableText, status, blockedBy: list(text, 10_000) })),
  baseUnavailable: nullableText,
  changed: { type: "boolean" },
});
/** The schema the saved report is checked against (compiled at build time: scripts/schemaValidators.mjs). */
export const SAVED_REPORT_JSON_SCHEMA = object({
  schema: { const: SAVED_REPORT_SCHEMA },
  pullRequest: object({ number: { type: "integer", minimum: 1, maximum: 2_147_483_647 }, baseSha: sha, headSha: sha }),
  changed: { type: "boolean" },
  diffs: list(diff, 1000),
});
