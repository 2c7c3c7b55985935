/** Events a person starts by hand: a dispatch, or a reusable workflow called from one. */
const MANUAL_EVENTS = new Set(["workflow_dispatch", "workflow_call"]);

/**
 * Why `command: run` must not run here, or null when it may. It changes the warehouse, so it needs a
 * person: a manual dispatch (never a pull request, a push or a schedule), the dimension's name typed
 * again into `confirm` (as GitHub asks for a repository's name before deleting it), and the default
 * branch (where the restore was merged), not whatever branch the dispatch named.
 */
export function runGateRefusal(gate: { eventName: string; dimension: string; confirm: string | undefined; ref: string | null; defaultBranch: string | null }): string | null {
  if (!MANUAL_EVENTS.has(gate.eventName)) {
    return `command 'run' changes the warehouse, so it runs only from a manual dispatch (workflow_dispatch), never on ${gate.eventName || "an unknown event"}; nothing ran`;
  }
  if (gate.confirm !== gate.dimension) {
    return `command 'run' needs the input 'confirm' to repeat the dimension's name exactly ('${gate.dimension}'); it is ${gate.confirm ? "different" : "empty"}, so nothing ran`;
  }
  if (gate.ref !== null && gate.defaultBranch !== null && gate.ref !== `refs/heads/${gate.defaultBranch}`) {
    return `command 'run' runs on the default branch ${gate.defaultBranch} only (this run is for ${gate.ref}); nothing ran`;
  }
  return null;
}
