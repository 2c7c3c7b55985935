import { COMMIT_TRAILER } from "../core/restore/restoreOutcome.js";
import { UserError } from "../core/userError.js";
import type { WorkTree } from "./workTree.js";

/** What the latest restore of a dimension did, read back from its commit. */
export interface RestoreCommit {
  sha: string;
  /** In restore order; paths relative to the root (`--root`). `text` is the file as committed. */
  files: { from: string; to: string; because: string; text: string }[];
  /** The state document the restore edited: its text before and after. */
  stateDocument: { path: string; previousText: string; afterText: string } | null;
  /** The root's path below the git top level (`""` at the top), for scripts run from the top. */
  gitPrefix: string;
}

/**
 * Finds the restore that `run` and `rollback` act on: the newest commit reachable from HEAD with the
 * tool's trailer and the subject `resume: <dimension> migration (...)`. The commit, not the state
 * document's restart log, is the record: it names exact paths (the log has file names only), keeps
 * the document's previous text (the commit's parent), and cannot be edited afterwards by hand.
 */
export async function readRestoreCommit(git: WorkTree, root: string, dimension: string): Promise<RestoreCommit | null> {
  const gitPrefix = await git.gitPrefix(root);
  if (gitPrefix === null) throw new UserError(`${root} is not inside a git repository; run and rollback read the restore from its commit`);
  const found = await git.latestCommitMatching(root, COMMIT_TRAILER, `resume: ${dimension} migration (`);
  if (!found) return null;

  // Paths relative to the root: changes outside it are left out.
  const changes = await git.changedFiles(root, `${found.sha}^`, found.sha);
  const show = (rev: string, path: string) => git.fileAtRevision(root, rev, path);
  const lines = found.message.split("\n");
  const ordered: { order: number; file: RestoreCommit["files"][number] }[] = [];
  for (const { from, path: to } of changes) {
    if (from === undefined || from.toLowerCase() !== `${to.toLowerCase()}.skip`) continue;
    const head = `- ${to} (was .skip)`;
    const line = lines.findIndex((l) => l.startsWith(head));
    const because = line >= 0 ? lines[line]!.slice(head.length).replace(/^:\s*/, "") : "restored";
    ordered.push({ order: line >= 0 ? line : Number.MAX_SAFE_INTEGER, file: { from, to, because, text: await show(found.sha, to) } });
  }
  // The commit message lists the files in restore order; the diff lists them by path.
  const files = ordered.sort((a, b) => a.order - b.order).map((o) => o.file);

  const docPath = changes.find((c) => c.status === "M" && /_STATE\.md$/i.test(c.path))?.path;
  const stateDocument = docPath ? { path: docPath, previousText: await show(`${found.sha}^`, docPath), afterText: await show(found.sha, docPath) } : null;
  return { sha: found.sha, files, stateDocument, gitPrefix };
}
