import { lstat, readFile, rename, rm, rmdir, unlink, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join } from "node:path";
import { pathExists } from "../files/pathExists.js";
import { makeDirs, writeFileAtomically } from "../files/writeFilesAtomically.js";
import { type TreeChange, type TreeChangeResult, type TreeStep, TreeTransactionAborted } from "../../usecases/workTree.js";
import { GitError, runGit } from "./runGit.js";

const ZERO = "0".repeat(40);

interface Entry {
  mode: string;
  sha: string;
}

/**
 * Applies a change as a transaction. The commit is built from HEAD's blobs with a temporary index
 * (parent = HEAD when this starts), so a person's uncommitted bytes can never reach it; the branch
 * ref is created only if absent, or moved only from that HEAD. Then the index, the working tree
 * and HEAD follow. The signal is checked before every step; an abort (TreeTransactionAborted) or any
 * failure undoes each step done, in reverse (the index file byte for byte), and is thrown. When the
 * promise resolves, the whole change is done.
 */
export async function applyTreeChange(root: string, change: TreeChange, options: { signal?: AbortSignal | undefined; onStep?: ((step: TreeStep) => void) | undefined } = {}): Promise<TreeChangeResult> {
  let current: TreeStep = "objects";
  try {
    return await applySteps(root, change, {
      signal: options.signal,
      onStep: (step) => {
        current = step;
        options.onStep?.(step);
      },
    });
  } catch (error) {
    // A git killed by SIGINT or SIGTERM was hit by the same signal as this process (a terminal's
    // Ctrl-C reaches the whole group), and its death can be seen before this process's own handler
    // has run: the interrupt, said as one, once every step done was undone (an undo that failed
    // stays a failure the person must look at).
    if (error instanceof GitError && (error.signal === "SIGINT" || error.signal === "SIGTERM") && !error.message.includes("undoing it also failed")) {
      throw new TreeTransactionAborted(current, error.signal);
    }
    throw error;
  }
}

async function applySteps(root: string, change: TreeChange, options: { signal?: AbortSignal | undefined; onStep: (step: TreeStep) => void }): Promise<TreeChangeResult> {
  const top = (await runGit(root, ["rev-parse", "--show-toplevel"])).stdout.trim();
  const prefix = (await runGit(root, ["rev-parse", "--show-prefix"])).stdout.trim();
  const git = (args: string[], extra: { env?: Record<string, string> | undefined; input?: string } = {}) => runGit(top, args, extra);
  const full = (path: string) => `${prefix}${path}`;
  const abs = (path: string) => join(root, path);
  const indexPath = absolute(top, (await git(["rev-parse", "--git-path", "index"])).stdout.trim());
  const headSha = (await git(["rev-parse", "--verify", "HEAD^{commit}"])).stdout.trim();
  const headRef = await runGit(top, ["symbolic-ref", "--quiet", "HEAD"], { allowFailure: true }).then((r) => (r.code === 0 ? r.stdout.trim() : null));
  const result: TreeChangeResult = { sha: null, edits: [], notes: [] };
  if (change.expectedHead && change.expectedHead !== headSha) {
    throw new Error(`HEAD moved from ${change.expectedHead.slice(0, 12)} to ${headSha.slice(0, 12)} while this ran (someone committed or switched branches); nothing was changed`);
  }

  const step = (name: TreeStep) => {
    options.onStep(name);
    if (options.signal?.aborted) throw new TreeTransactionAborted(name);
  };

  // 1. Objects: what the commit holds, from HEAD only.
  step("objects");
  // Nothing is written through a folder that is a symbolic link (a committed `dimensions` link to a
  // folder outside the repository would take the state document there, and the commit would put a
  // folder over the link): refused before anything is done.
  for (const path of [...change.renames.flatMap((r) => [r.from, r.to]), ...change.edits.map((e) => e.path), ...(change.creates ?? []).map((c) => c.path)]) {
    const link = await linkedFolder(root, path);
    if (link !== null) throw new Error(`${link} is a symbolic link: dbt-unskip does not write through links; nothing was changed`);
  }
  const headEntries = new Map<string, Entry>();
  for (const path of [...change.renames.map((r) => r.from), ...change.edits.map((e) => e.path)]) {
    const entry = await treeEntry(git, "HEAD", full(path));
    if (entry) headEntries.set(path, entry);
  }
  for (const { from } of change.renames) {
    if (!headEntries.has(from)) throw new Error(`${from} is not committed; commit it first (the restore commits the committed bytes of each file)`);
  }
  const edited: { path: string; head: Entry; text: string; entry: Entry }[] = [];
  for (const { path, edit } of change.edits) {
    const head = headEntries.get(path);
    if (!head) {
      result.edits.push({ path, committed: false, problem: `${path} is not committed, so it was not changed` });
      continue;
    }
    const out = edit(await blobText(git, head.sha));
    if ("error" in out) {
      result.edits.push({ path, committed: false, problem: out.error });
      continue;
    }
    edited.push({ path, head, text: out.text, entry: { mode: head.mode, sha: await hashText(git, out.text) } });
  }
  const created: { path: string; text: string; entry: Entry }[] = [];
  for (const { path, text } of change.creates ?? []) {
    if ((await treeEntry(git, "HEAD", full(path))) || (await pathExists(abs(path)))) throw new Error(`${path} exists already; a new file is never written over one`);
    created.push({ path, text, entry: { mode: "100644", sha: await hashText(git, text) } });
  }
  const changes = [
    ...created.map((c) => indexLine(c.entry, full(c.path))),
    ...change.renames.flatMap(({ from, to }) => [indexLine({ mode: "0", sha: ZERO }, full(from)), indexLine(headEntries.get(from)!, full(to))]),
    ...edited.map((e) => indexLine(e.entry, full(e.path))),
  ];

  // 2. Commit: a temporary index from HEAD, the changes, a tree, a commit nothing points to yet.
  let sha: string | null = null;
  if (change.commit) {
    step("commit");
    const tempIndex = `${indexPath}.dbt-unskip-${process.pid}`;
    try {
      const env = { ...change.commit.env, GIT_INDEX_FILE: tempIndex };
      await git(["read-tree", headSha], { env });
      await git(["update-index", "-z", "--index-info"], { env, input: changes.join("") });
      const tree = (await git(["write-tree"], { env })).stdout.trim();
      const edits = [...result.edits, ...edited.map((e) => ({ path: e.path, committed: true, problem: null })), ...created.map((c) => ({ path: c.path, committed: true, problem: null }))];
      const message = typeof change.commit.message === "string" ? change.commit.message : change.commit.message(edits);
      sha = (await git(["commit-tree", tree, "-p", headSha, "-F", "-"], { env: change.commit.env, input: message })).stdout.trim();
    } finally {
      await rm(tempIndex, { force: true });
    }
  }

  // 3. Visible steps, each recorded for undo.
  const undo: { what: string; run: () => Promise<unknown> }[] = [];
  try {
    if (change.commit && sha) {
      step("branch");
      const ref = `refs/heads/${change.commit.branch}`;
      if (change.commit.createBranch) {
        await git(["update-ref", "-m", "dbt-unskip", ref, sha, ZERO]);
        undo.push({ what: `delete branch ${change.commit.branch}`, run: () => git(["update-ref", "-d", ref, sha!]) });
      } else {
        // HEAD is on this branch: move it only from the commit the change was built on.
        await git(["update-ref", "-m", "dbt-unskip", ref, sha, headSha]);
        undo.push({ what: `move ${change.commit.branch} back`, run: () => git(["update-ref", "-m", "dbt-unskip: undo", ref, headSha, sha!]) });
      }
    }

    step("index");
    const indexBytes = await readFile(indexPath).catch(() => null);
    undo.push({ what: "restore the index", run: () => (indexBytes ? writeFileAtomically(indexPath, indexBytes) : rm(indexPath, { force: true })) });
    const indexChanges: string[] = [];
    for (const { from, to } of change.renames) {
      // The index's own entry moves (a person's staged bytes stay staged, uncommitted).
      const staged = (await stagedEntry(git, full(from))) ?? headEntries.get(from)!;
      indexChanges.push(indexLine({ mode: "0", sha: ZERO }, full(from)), indexLine(staged, full(to)));
    }
    for (const e of edited) {
      const staged = await stagedEntry(git, full(e.path));
      if (!staged || staged.sha === e.head.sha) indexChanges.push(indexLine(e.entry, full(e.path)));
      else {
        const layered = editOf(change, e.path)(await blobText(git, staged.sha));
        if ("error" in layered) result.notes.push(`${e.path}: your staged version was left as it was (${layered.error})`);
        else indexChanges.push(indexLine({ mode: staged.mode, sha: await hashText(git, layered.text) }, full(e.path)));
      }
    }
    for (const c of created) indexChanges.push(indexLine(c.entry, full(c.path)));
    await git(["update-index", "-z", "--index-info"], { input: indexChanges.join("") });

    step("rename");
    for (const { from, to } of change.renames) {
      const ok = await rename(abs(from), abs(to)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return false; // deleted in the working tree: it stays deleted there
          throw error;
        },
      );
      if (ok) undo.push({ what: `rename ${to} back to ${from}`, run: () => rename(abs(to), abs(from)) });
    }

    step("state-document");
    for (const c of created) {
      const dirs: string[] = [];
      try {
        await makeDirs(dirname(abs(c.path)), dirs);
      } finally {
        for (const dir of dirs) undo.push({ what: `remove folder ${dir}`, run: () => rmdir(dir) });
      }
      await writeFile(abs(c.path), c.text, { flag: "wx" });
      undo.push({ what: `remove ${c.path}`, run: () => unlink(abs(c.path)) });
    }
    for (const e of edited) {
      const before = await readFile(abs(e.path)).catch(() => null);
      if (before === null) {
        result.notes.push(`${e.path}: deleted in your working tree; it stays deleted there (the commit has the update)`);
        continue;
      }
      let text = e.text;
      if (!before.equals(Buffer.from(await blobText(git, e.head.sha), "utf8"))) {
        const layered = editOf(change, e.path)(before.toString("utf8"));
        if ("error" in layered) {
          result.notes.push(`${e.path}: your uncommitted version was left as it was (${layered.error})`);
          continue;
        }
        text = layered.text;
      }
      undo.push({ what: `put ${e.path} back`, run: () => writeFileAtomically(abs(e.path), before) });
      await writeFileAtomically(abs(e.path), text);
    }

    if (change.commit && sha && change.commit.createBranch) {
      step("head");
      await git(["symbolic-ref", "-m", "dbt-unskip", "HEAD", `refs/heads/${change.commit.branch}`]);
      undo.push({
        what: "put HEAD back",
        run: () => (headRef ? git(["symbolic-ref", "-m", "dbt-unskip: undo", "HEAD", headRef]) : git(["update-ref", "--no-deref", "-m", "dbt-unskip: undo", "HEAD", headSha])),
      });
    }
  } catch (error) {
    const failed: string[] = [];
    for (const u of undo.reverse()) await u.run().catch((e: Error) => failed.push(`${u.what}: ${e.message}`));
    if (failed.length > 0) (error as Error).message += `\nand undoing it also failed: ${failed.join("; ")}`;
    throw error;
  }

  result.sha = sha;
  for (const e of edited) result.edits.push({ path: e.path, committed: true, problem: null });
  for (const c of created) result.edits.push({ path: c.path, committed: true, problem: null });
  return result;
}

function editOf(change: TreeChange, path: string): TreeChange["edits"][number]["edit"] {
  return change.edits.find((e) => e.path === path)!.edit;
}

function absolute(base: string, path: string): string {
  return isAbsolute(path) ? path : join(base, path);
}

function indexLine(entry: Entry, path: string): string {
  return `${entry.mode} ${entry.sha}\t${path}\0`;
}

type Git = (args: string[], extra?: { env?: Record<string, string> | undefined; input?: string }) => Promise<{ stdout: string }>;

async function treeEntry(git: Git, commit: string, path: string): Promise<Entry | null> {
  const out = (await git(["ls-tree", "-z", "--full-tree", commit, "--", path])).stdout;
  const match = /^(\d+) blob ([0-9a-f]+)\t/.exec(out);
  return match ? { mode: match[1]!, sha: match[2]! } : null;
}

async function stagedEntry(git: Git, path: string): Promise<Entry | null> {
  const out = (await git(["ls-files", "-z", "--stage", "--full-name", "--", `:(top,literal)${path}`])).stdout;
  const match = /^(\d+) ([0-9a-f]+) 0\t/.exec(out);
  return match ? { mode: match[1]!, sha: match[2]! } : null;
}

async function blobText(git: Git, sha: string): Promise<string> {
  return (await git(["cat-file", "blob", sha])).stdout;
}

async function hashText(git: Git, text: string): Promise<string> {
  return (await git(["hash-object", "-w", "--stdin"], { input: text })).stdout.trim();
}

/** The first folder of `path` (relative to `root`) that is a symbolic link, or null. */
async function linkedFolder(root: string, path: string): Promise<string | null> {
  const parts = path.split("/").slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const folder = parts.slice(0, i).join("/");
    const stat = await lstat(join(root, folder)).catch(() => null);
    if (stat === null) return null;
    if (stat.isSymbolicLink()) return folder;
  }
  return null;
}
