import { link, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { isAbsolute, join } from "node:path";
import { UserError } from "../../core/userError.js";
import { runGit } from "./runGit.js";

/** Who holds a repository's lock; a run that died leaves this behind, and it is recognised as stale. */
export interface LockOwner {
  pid: number;
  /** The process's start time as the kernel counts it (Linux: /proc/PID/stat field 22), or null elsewhere. */
  processStart: string | null;
  host: string;
  purpose: string;
  startedAt: string;
}

/** Another live run is changing this repository; nothing was changed by this one. */
export class RepositoryBusy extends UserError {
  constructor(
    readonly owner: LockOwner | null,
    readonly lockPath: string,
  ) {
    super(
      owner
        ? `another dbt-unskip is changing this repository (${owner.purpose}, pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}); nothing was changed. Run again when it has finished (its lock: ${lockPath}).`
        : `another dbt-unskip is changing this repository; nothing was changed. Run again when it has finished (its lock: ${lockPath}).`,
    );
    this.name = "RepositoryBusy";
  }
}

const LOCK_NAME = "dbt-unskip.lock";

/**
 * Runs `work` holding the repository's dbt-unskip lock (in git's common directory, so every
 * worktree of one repository shares it). Restores and pauses are exclusive: two at once would
 * build one's commit on the other's. A lock left by a crashed run (its pid gone, or reused by a
 * process with another start time, on this host) is taken over, and `onStale` is told.
 */
export async function withRepositoryLock<T>(root: string, purpose: string, work: () => Promise<T>, onStale: (owner: LockOwner) => void = () => {}): Promise<T> {
  const lockPath = await repositoryLockPath(root);
  const me: LockOwner = { pid: process.pid, processStart: await processStart(process.pid), host: hostname(), purpose, startedAt: new Date().toISOString() };
  await acquire(lockPath, me, onStale);
  try {
    return await work();
  } finally {
    await release(lockPath, me);
  }
}

export async function repositoryLockPath(root: string): Promise<string> {
  const common = (await runGit(root, ["rev-parse", "--git-common-dir"])).stdout.trim();
  return join(isAbsolute(common) ? common : join(root, common), LOCK_NAME);
}

async function acquire(lockPath: string, me: LockOwner, onStale: (owner: LockOwner) => void): Promise<void> {
  const text = `${JSON.stringify(me)}\n`;
  // The lock appears with its content in one step (link of a written file), so nobody reads it half-written.
  const temp = `${lockPath}.${me.pid}.tmp`;
  await writeFile(temp, text);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(temp, lockPath);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const heldText = await readFile(lockPath, "utf8").catch(() => null);
      if (heldText === null) continue; // released in between: try again
      const owner = parseOwner(heldText);
      if (!owner || !(await isStale(owner))) throw new RepositoryBusy(owner, lockPath);
      // Move the stale lock aside and check that what was moved is what was judged stale: if
      // another run took it over in between, its fresh lock is put back and this run is the loser.
      const aside = `${lockPath}.stale.${me.pid}`;
      await rename(lockPath, aside).catch(() => {});
      const moved = await readFile(aside, "utf8").catch(() => null);
      if (moved !== null && moved !== heldText) {
        await link(aside, lockPath).catch(() => {});
        await unlink(aside).catch(() => {});
        throw new RepositoryBusy(parseOwner(moved), lockPath);
      }
      await unlink(aside).catch(() => {});
      if (moved !== null) onStale(owner);
    }
    throw new RepositoryBusy(null, lockPath);
  } finally {
    await unlink(temp).catch(() => {});
  }
}

async function release(lockPath: string, me: LockOwner): Promise<void> {
  // Only our own lock is removed (a stale takeover by someone else is not ours to delete).
  const held = parseOwner((await readFile(lockPath, "utf8").catch(() => null)) ?? "");
  if (held && held.pid === me.pid && held.startedAt === me.startedAt && held.host === me.host) await unlink(lockPath).catch(() => {});
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== "number" || !Number.isInteger(value.pid) || value.pid <= 0) return null;
    return {
      pid: value.pid,
      processStart: typeof value.processStart === "string" ? value.processStart : null,
      host: typeof value.host === "string" ? value.host : "?",
      purpose: typeof value.purpose === "string" ? value.purpose : "?",
      startedAt: typeof value.startedAt === "string" ? value.startedAt : "?",
    };
  } catch {
    return null;
  }
}

/** Stale: on this host, and its process is gone or is another process that reused the pid. */
export async function isStale(owner: LockOwner): Promise<boolean> {
  if (owner.host !== hostname()) return false;
  if (!isAlive(owner.pid)) return true;
  if (owner.processStart === null) return false;
  const now = await processStart(owner.pid);
  return now !== null && now !== owner.processStart;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A process's start time in clock ticks since boot (Linux), which tells a reused pid apart. */
export async function processStart(pid: number): Promise<string | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return null;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? null;
}
