import { existsSync, readFileSync } from "node:fs";

// Waits, before each measured run, until the other processes on the machine leave the cores alone,
// so that a benchmark on a shared machine (other test suites, builds) measures the tool and not the
// neighbours. Between runs the benchmark itself is idle, so any CPU busy time seen then is someone
// else's. Linux only (/proc/stat); elsewhere it never waits.

export interface QuietStats {
  runs: number;
  /** Runs started although the machine was still busy (a wait limit was reached). */
  busyRuns: number;
  waitedMs: number;
}

interface CpuTimes {
  busy: number;
  total: number;
}

function readCpuTimes(): CpuTimes | null {
  if (!existsSync("/proc/stat")) return null;
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return null;
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Share of all cores kept busy by other processes over `windowMs`, or null when unknown. */
export async function busyShare(windowMs = 500): Promise<number | null> {
  const before = readCpuTimes();
  await sleep(windowMs);
  const after = readCpuTimes();
  if (!before || !after || after.total <= before.total) return null;
  return (after.busy - before.busy) / (after.total - before.total);
}

export function createQuietGate(options: { threshold: number; maxWaitPerRunMs: number; maxWaitTotalMs: number }) {
  const stats: QuietStats = { runs: 0, busyRuns: 0, waitedMs: 0 };
  return {
    stats,
    /** Returns once the machine is quiet, or when a wait limit is reached. */
    async wait(): Promise<void> {
      stats.runs++;
      const started = Date.now();
      for (;;) {
        const share = await busyShare();
        if (share === null || share <= options.threshold) break;
        const waited = Date.now() - started;
        if (waited >= options.maxWaitPerRunMs || stats.waitedMs + waited >= options.maxWaitTotalMs) {
          stats.busyRuns++;
          break;
        }
      }
      stats.waitedMs += Date.now() - started;
    },
  };
}
