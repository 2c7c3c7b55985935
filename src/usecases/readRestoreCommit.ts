import { gitPrefixInside } from "../adapters/git/gitPrefix.js";
import { runGit } from "../adapters/git/runGit.js";
import { COMMIT_TRAILER } from "../core/restore/restoreOutcome.js";
import { UserError } from "../core/userError.js";

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
export async function readRestoreCommit(root: string, dimension: string): Promise<RestoreCommit | null> {
  const gitPrefix = await gitPrefixInside(root);
  if (gitPrefix === null) throw new UserError(`${root} is not inside a git repository; run and rollback read the restore from its commit`);
  const log = await runGit(root, ["log", "-n", "1000", "--fixed-strings", `--grep=${COMMIT_TRAILER}`, "--format=%H%x1f%B%x1e", "HEAD"], { allowFailure: true });
  if (log.code !== 0) return null;
  const subject = `resume: ${dimension} migration (`;
  const found = log.stdout
    .split("\x1e")
    .map((record) => record.replace(/^\n/, ""))
    .map((record) => ({ sha: record.slice(0, record.indexOf("\x1f")), message: record.slice(record.indexOf("\x1f") + 1) }))
    .find((c) => c.sha && c.message.startsWith(subject));
  if (!found) return null;

  const diff = await runGit(root, ["diff", "-z", "-M", "--name-status", `${found.sha}^`, found.sha]);
  const tokens = diff.stdout.split("\0");
  const renames: { from: string; to: string }[] = [];
  const modified: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const status = tokens[i] ?? "";
    if (status.startsWith("R") || status.startsWith("C")) {
      renames.push({ from: tokens[i + 1] ?? "", to: tokens[i + 2] ?? "" });
      i += 3;
    } else if (status) {
      if (status === "M") modified.push(tokens[i + 1] ?? "");
      i += 2;
    } else i++;
  }
  const ofRoot = (path: string) => (path.startsWith(gitPrefix) ? path.slice(gitPrefix.length) : null);
  const lines = found.message.split("\n");
  const restored = renames.filter((r) => r.from.toLowerCase() === `${r.to.toLowerCase()}.skip`);
  const ordered: { order: number; file: RestoreCommit["files"][number] }[] = [];
  for (const rename of restored) {
    const from = ofRoot(rename.from);
    const to = ofRoot(rename.to);
    if (from === null || to === null) continue;
    const head = `- ${to} (was .skip)`;
    const line = lines.findIndex((l) => l.startsWith(head));
    const because = line >= 0 ? lines[line]!.slice(head.length).replace(/^:\s*/, "") : "restored";
    ordered.push({ order: line >= 0 ? line : Number.MAX_SAFE_INTEGER, file: { from, to, because, text: await show(root, found.sha, rename.to) } });
  }
  // The commit message lists the files in restore order; the diff lists them by path.
  const files = ordered.sort((a, b) => a.order - b.order).map((o) => o.file);

  const docPath = modified.find((p) => /_STATE\.md$/i.test(p) && ofRoot(p) !== null);
  const stateDocument = docPath ? { path: ofRoot(docPath)!, previousText: await show(root, `${found.sha}^`, docPath), afterText: await show(root, found.sha, docPath) } : null;
  return { sha: found.sha, files, stateDocument, gitPrefix };
}

async function show(root: string, rev: string, path: string): Promise<string> {
  // `rev:./path` would be relative to the cwd; a top-level path needs the bare `rev:path` form.
  return (await runGit(root, ["cat-file", "blob", `${rev}:${path}`])).stdout;
}
