import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { findDbt } from "../adapters/dbt/findDbt.js";
import type { PauseOutcome } from "../core/pause/pauseOutcome.js";
import { renderPauseReport } from "../core/pause/renderPauseReport.js";
import { UserError } from "../core/userError.js";
import { pauseDimension } from "../usecases/pauseDimension.js";
import { checkNames, COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { startCommand } from "./startCommand.js";
import { toolRoot } from "./toolRoot.js";
import { guardInterrupts } from "./interruptGuard.js";

const EXIT: Record<PauseOutcome["result"], number> = {
  paused: 0,
  "would-pause": 0,
  "nothing-to-pause": 0,
  cancelled: 0,
  failed: 1,
};

export const pauseCommand: CliCommand = {
  name: "pause",
  summary: "rename what keeps dbt parse from passing to .skip (proven in a scratch copy), write the state document, and commit",
  help: `Usage: dbt-unskip pause --dimension NAME [--models a,b] [--dry-run] [--yes] [--json]

  --dimension NAME     the dimension to pause models of (required)
  --models a,b         pause these active models of the dimension (and everything that depends on
                       them) instead of the ones the static scan finds
  --dry-run            say what would be paused and why (dbt runs in a scratch copy); change nothing
  --yes, -y            do not ask before changing anything
  --timeout SECONDS    stop a dbt command after this long (default 600)

dbt parse runs in a scratch copy until it is green: each model dbt names (and every model depending
on it, in any dimension) is paused; only then are the files renamed with git mv, the state document
written or updated, and one commit made on <branch-prefix><dimension>. An error or an interrupt
while applying puts the tree, index and HEAD back as they were.

Exit codes: 0 paused, nothing to pause, a dry run, or cancelled (no changes made); 1 dbt or git
failed, or dbt parse could not be made green within the dimension (no changes made); 2 a problem
with the input; 130 interrupted (the last line says whether the pause was undone or had completed).

${COMMON_HELP}`,
  async run(argv, io) {
    const start = await startCommand(this, argv, io, {
      options: {
        dimension: { type: "string" },
        models: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        yes: { type: "boolean", short: "y", default: false },
        timeout: { type: "string" },
      },
      dimension: "required",
      check: (values) => {
        const models = checkNames("--models", values.models as string | undefined);
        const timeoutSeconds = values.timeout === undefined ? 600 : Number(values.timeout);
        if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UserError(`--timeout '${values.timeout}': expected a number of seconds`);
        return { models, timeoutSeconds };
      },
    });
    if (!start) return 0;
    const { values, common, dimension, root, config, log } = start;
    const { models, timeoutSeconds } = start.checked;
    const yes = values.yes === true;
    const dryRun = values["dry-run"] === true;
    const dbt = await findDbt({ explicit: common.dbt, repoRoot: root, toolRoot: toolRoot() });

    // Ctrl-C or SIGTERM (every repeat absorbed): before the tree is touched dbt is stopped and nothing
    // is applied; once the tree transaction has begun it is undone, or, past its last step, complete.
    let applying = false;
    const guard = guardInterrupts(log, () =>
      applying
        ? "Interrupted while the pause was being applied: undoing it, unless it had already completed (the last line says which)."
        : "Interrupted: stopping dbt; the working tree stays as it was.",
    );
    let outcome: PauseOutcome;
    try {
      outcome = await pauseDimension({
        root,
        config,
        dimension,
        models,
        dryRun,
        dbt,
        profilesDir: common.profilesDir ? resolve(common.profilesDir) : undefined,
        target: common.target,
        timeoutMs: timeoutSeconds * 1000,
        today: new Date().toISOString().slice(0, 10),
        signal: guard.signal,
        onStep: (step) => {
          if (step === "branch" || step === "index") applying = true;
        },
        progress: (line) => log.write(`${line}\n`),
        confirm: async (proposal) => {
          log.write(`\nTo pause in ${dimension} (${proposal.paused.length}):\n`);
          for (const m of proposal.paused) log.write(`  ⏸️  ${m.from}${m.dimension !== dimension ? ` [${m.dimension ?? "no dimension"}]` : ""}: ${m.reason}\n`);
          if (yes) return true;
          if (!io.stdin.isTTY) throw new UserError("pause renames files and commits: confirm with --yes when not running in a terminal");
          const rl = createInterface({ input: io.stdin, output: process.stderr });
          try {
            const answer = await rl.question("\nPause these models and commit? [y/N]: ");
            return /^y(es)?$/i.test(answer.trim());
          } finally {
            rl.close();
          }
        },
      });
    } finally {
      guard.dispose();
    }
    start.print(outcome, () => renderPauseReport(outcome));
    const signal = guard.received();
    if (signal === null) return EXIT[outcome.result];
    // The truth about an interrupt: a pause whose transaction had completed stays done.
    log.write(outcome.result === "paused" ? `${signal} came after the pause was complete: it is committed (${outcome.commit?.sha.slice(0, 12) ?? "staged"}).\n` : `${signal}: nothing was paused; the tree, index and HEAD are as they were.\n`);
    return 130;
  },
};
