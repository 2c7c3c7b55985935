import { chmodSync, mkdtempSync, rmSync, statfsSync } from "node:fs";
import { join } from "node:path";

/** statfs's type of a tmpfs (linux/magic.h TMPFS_MAGIC). */
const TMPFS_MAGIC = 0x01021994;
/** Room the suite's scratch copies need at once, with a margin (two workers, the largest fixtures a few hundred MB). */
const NEEDED_BYTES = 4 * 1024 ** 3;
/** The run's folder on tmpfs, while it is the temporary folder (each project's setup runs this; once is enough). */
export const TEST_TMPFS_ENV_VAR = "DBT_UNSKIP_TEST_TMPFS";

/**
 * vitest's global setup for every project: the tests' temporary folder (TMPDIR: `os.tmpdir()`, git,
 * and dbt, which gets TMPDIR through dbtEnvironment) in one fresh folder on /dev/shm when that is a
 * tmpfs with room, removed when the run ends. The tests make thousands of small files (git
 * repositories, scratch projects); on the disk of a CI machine each costs system CPU the test does not
 * need (a copy of the example repository: 0.35 s of system time on ext4, none on tmpfs). What the
 * files hold and how they are read is the same. Nothing changes when TMPDIR is already set (someone
 * chose the folder), when /dev/shm is not a tmpfs, or when it has less room than NEEDED_BYTES.
 */
export default function setup(): (() => void) | undefined {
  if (process.env[TEST_TMPFS_ENV_VAR] !== undefined || process.env.TMPDIR !== undefined) return undefined;
  let room: number;
  try {
    const fs = statfsSync("/dev/shm");
    if (fs.type !== TMPFS_MAGIC) return undefined;
    room = fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
  if (room < NEEDED_BYTES) return undefined;
  const folder = mkdtempSync(join("/dev/shm", "dbt-unskip-tests-"));
  // Others may pass through it as through /tmp (mkdtemp makes it 0700): generatePostgres.int runs
  // its PostgreSQL server as the postgres user in a folder below it.
  chmodSync(folder, 0o755);
  process.env.TMPDIR = folder;
  process.env[TEST_TMPFS_ENV_VAR] = folder;
  return () => {
    delete process.env.TMPDIR;
    delete process.env[TEST_TMPFS_ENV_VAR];
    rmSync(folder, { recursive: true, force: true });
  };
}
