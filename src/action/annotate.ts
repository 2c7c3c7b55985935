import { relative } from "node:path";
import * as core from "@actions/core";
import type { ReadinessDiff } from "../core/readiness/readinessDiff.js";

/**
 * Annotations on the PR's files: a notice on each paused file this PR makes ready, an error on each
 * active model that refs a paused or missing model (dbt parse fails on it). Paths are made relative
 * to the repository root, which is what GitHub matches them against. @actions/core escapes the
 * text, so names cannot break out of the command.
 */
export function annotate(diffs: readonly ReadinessDiff[], workspace: string, repositoryRoot: string): void {
  const prefix = relative(repositoryRoot, workspace).split("\\").join("/");
  const file = (path: string) => (prefix && !prefix.startsWith("..") ? `${prefix}/${path}` : path);
  for (const diff of diffs) {
    for (const model of diff.newlyReady) {
      const after = model.needsRestored.length > 0 ? ` (restore after ${model.needsRestored.join(", ")})` : "";
      core.notice(`Paused model '${model.name}' is ready to restore${after}: rename it back to .sql.`, {
        title: "dbt-unskip: ready to restore",
        file: file(model.file),
        startLine: 1,
      });
    }
    for (const broken of diff.brokenActive) {
      core.error(broken.message + (broken.isNew ? "" : " (already so on the base branch)"), {
        title: `dbt-unskip: active model refs a ${broken.status} model`,
        file: file(broken.file),
        ...(broken.line !== null ? { startLine: broken.line } : {}),
      });
    }
  }
}
