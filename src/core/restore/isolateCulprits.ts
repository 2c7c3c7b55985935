import type { BatchModel } from "./restoreBatch.js";
import { dbtErrorHeadline } from "../dbt/dbtErrorHeadline.js";

/** What one trial parse with a subset of the batch restored says. */
export type ParseOutcome =
  | { ok: true }
  /** dbt rejected the project; `culprits` are the files its error names (relative to the project). */
  | { ok: false; culprits: { file: string; missing: string | null }[]; message: string }
  /** dbt itself failed (crash, timeout, killed): nothing can be concluded, the restore stops. */
  | { ok: false; fatal: string };

export interface ReSkipped {
  model: BatchModel;
  reason: string;
}

export type IsolationResult = { ok: true; restored: BatchModel[]; reSkipped: ReSkipped[]; parseRuns: number } | { ok: false; error: string; reSkipped: ReSkipped[]; parseRuns: number };

/**
 * How the result is worded. A pause uses the same search with the roles swapped: the batch is the
 * active models that may be paused, and a dropped model is one that gets paused.
 */
export interface IsolationWords {
  /** Why a model left with a culprit it needs. */
  dependent: (need: string) => string;
  /** The error when even the empty subset fails. */
  broken: (message: string) => string;
}

const RESTORE_WORDS: IsolationWords = {
  dependent: (need) => `needs ${need}, which was re-skipped`,
  broken: (message) => `dbt parse fails with none of the paused models restored, so the project itself is broken:\n${message}`,
};

/**
 * Finds the batch models dbt rejects. dbt stops at the first error and usually names the node, so
 * each failed parse costs one culprit: k culprits take k + 1 parses. When an error names no batch
 * model, a binary search over prefixes of the restore order finds one (a prefix of a topological
 * order never lacks its own dependencies). A culprit's dependents in the batch go back with it.
 */
export async function isolateCulprits(batch: readonly BatchModel[], parse: (restored: BatchModel[]) => Promise<ParseOutcome>, words: IsolationWords = RESTORE_WORDS): Promise<IsolationResult> {
  let active = [...batch];
  const reSkipped: ReSkipped[] = [];
  let parseRuns = 0;
  const run = async (subset: BatchModel[]) => {
    parseRuns++;
    return parse(subset);
  };
  const drop = (culprit: BatchModel, reason: string) => {
    const step = dropWithDependents(active, culprit, reason, words.dependent);
    reSkipped.push(...step.dropped);
    active = step.kept;
  };

  for (;;) {
    const outcome = await run(active);
    if (outcome.ok) return { ok: true, restored: active, reSkipped, parseRuns };
    if ("fatal" in outcome) return { ok: false, error: outcome.fatal, reSkipped, parseRuns };
    const named = namedCulprits(outcome, active);
    if (named.length > 0) {
      for (const { model, reason } of named) if (active.includes(model)) drop(model, reason);
      continue;
    }
    // Nothing in the batch is named: bisect for the shortest failing prefix.
    let passing = -1; // longest prefix known to pass (-1: none known)
    let failing = active.length; // shortest prefix known to fail
    let shortcut: { model: BatchModel; reason: string } | null = null;
    while (failing - passing > 1 && !shortcut) {
      const mid = Math.max(0, Math.floor((passing + failing) / 2));
      const trial = await run(active.slice(0, mid));
      if (trial.ok) passing = mid;
      else if ("fatal" in trial) return { ok: false, error: trial.fatal, reSkipped, parseRuns };
      else {
        failing = mid;
        shortcut = namedCulprits(trial, active.slice(0, mid))[0] ?? null;
      }
    }
    if (shortcut) {
      drop(shortcut.model, shortcut.reason);
      continue;
    }
    if (failing === 0) {
      return { ok: false, error: words.broken(outcome.message), reSkipped, parseRuns };
    }
    const culprit = active[failing - 1]!;
    drop(culprit, `dbt parse fails once it is restored: ${dbtErrorHeadline(outcome.message)}`);
  }
}

/**
 * Takes a culprit out of `active` with every model of `active` that needs it, directly or through
 * another dropped model. `active` is in restore order (a model after what it needs), so one forward
 * pass catches whole chains. Shared by the parse search above and restore's compile step.
 */
export function dropWithDependents<M extends { name: string; needs: readonly string[] }>(
  active: readonly M[],
  culprit: M,
  reason: string,
  dependent: (need: string) => string,
): { kept: M[]; dropped: { model: M; reason: string }[] } {
  const gone = new Set([culprit.name]);
  const dropped = [{ model: culprit, reason }];
  for (const model of active) {
    if (gone.has(model.name)) continue;
    const need = model.needs.find((n) => gone.has(n));
    if (need) {
      gone.add(model.name);
      dropped.push({ model, reason: dependent(need) });
    }
  }
  return { kept: active.filter((m) => !gone.has(m.name)), dropped };
}

function namedCulprits(outcome: { culprits: { file: string; missing: string | null }[]; message: string }, active: BatchModel[]) {
  const found: { model: BatchModel; reason: string }[] = [];
  for (const culprit of outcome.culprits) {
    const model = active.find((m) => m.realFile === culprit.file);
    if (!model) continue;
    const reason = culprit.missing ? `dbt parse: depends on '${culprit.missing}', which dbt cannot find` : `dbt parse: ${dbtErrorHeadline(outcome.message)}`;
    found.push({ model, reason });
  }
  return found;
}
