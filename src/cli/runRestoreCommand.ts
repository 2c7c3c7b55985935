import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { findDbt } from "../adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { renderRestoreReport } from "../core/restore/renderRestoreReport.js";
import type { RestoreOutcome } from "../core/restore/restoreOutcome.js";
import { UserError } from "../core/userError.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { restoreDimension } from "../usecases/restoreDimension.js";
import type { RestoreArgs } from "./parseCliArgs.js";
import type { Output } from "./runStatusCommand.js";
import { toolRoot } from "./toolRoot.js";

const EXIT: Record<RestoreOutcome["result"], number> = {
  restored: 0,
  "nothing-ready": 0,
  cancelled: 0,
  "nothing-restorable": 3,
  failed: 1,
};

/** `dbt-unskip restore`: the restart runbook, as a transaction. */
export async function runRestoreCommand(
  args: RestoreArgs,
  io: { stdout: Output; stderr: Output; stdin: NodeJS.ReadStream },
): Promise<number> {
  const root = resolve(args.root);
  const config = await loadConfig(createDiskFileSource(root), args.config);
  if (args.projectDirs) config.projectDirs = args.projectDirs;
  const dbt = await findDbt({ explicit: args.dbt, repoRoot: root, toolRoot: toolRoot() });
  const log = args.json ? io.stderr : io.stdout;

  // Ctrl-C stops dbt; nothing is applied to the tree after an interrupt.
  const controller = new AbortController();
  const onInterrupt = () => {
    log.write("\nInterrupted: stopping dbt; the working tree stays as it was.\n");
    controller.abort();
  };
  process.once("SIGINT", onInterrupt);
  process.once("SIGTERM", onInterrupt);
  try {
    const outcome = await restoreDimension({
      root,
      config,
      dimension: args.dimension,
      models: args.models,
      allowDirty: args.allowDirty,
      commit: args.commit,
      dbt,
      profilesDir: args.profilesDir ? resolve(args.profilesDir) : undefined,
      target: args.target,
      timeoutMs: args.timeoutSeconds * 1000,
      today: new Date().toISOString().slice(0, 10),
      signal: controller.signal,
      progress: (line) => log.write(`${line}\n`),
      confirm: async ({ batch, staying }) => {
        log.write(`\nReady to resume in ${args.dimension} (${batch.length}):\n`);
        for (const m of batch) log.write(`  ✅ ${m.skipFile} → ${m.because}\n`);
        if (staying.length > 0) {
          log.write(`Still blocked (${staying.length}):\n`);
          for (const m of staying) log.write(`  ❌ ${m.path} (${m.reason})\n`);
        }
        if (args.yes) return true;
        if (!io.stdin.isTTY) throw new UserError("restore changes files and commits: confirm with --yes when not running in a terminal");
        const rl = createInterface({ input: io.stdin, output: process.stderr });
        try {
          const answer = await rl.question("\n1) resume the ready models  2) wait for the rest  3) cancel  [1/2/3]: ");
          return answer.trim() === "1";
        } finally {
          rl.close();
        }
      },
    });
    if (args.json) io.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    else io.stdout.write(renderRestoreReport(outcome));
    return controller.signal.aborted ? 130 : EXIT[outcome.result];
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
  }
}
