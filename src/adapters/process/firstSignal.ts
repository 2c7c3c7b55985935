/** Where signals come from: the process, or a stand-in in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** The first SIGINT or SIGTERM, as an abort: what the CLI's Ctrl-C and the Action's cancel both stand on. */
export interface FirstSignal {
  /** Aborted at the first SIGINT or SIGTERM; its reason is the signal's name, so a use case can say which. */
  signal: AbortSignal;
  /** The first signal received, or null. */
  received(): NodeJS.Signals | null;
  /** Stops absorbing signals (call in `finally`). */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM: the first calls `onFirst`, aborts, then calls `afterAbort` (once
 * everything listening on the abort has run); every later one is absorbed until `dispose()`, so a
 * second Ctrl-C, or the runner's SIGTERM after its SIGINT, cannot end the process half way through
 * undoing or finishing its work.
 */
export function abortOnFirstSignal(onFirst: (signal: NodeJS.Signals) => void, source: SignalSource = process, afterAbort: (signal: NodeJS.Signals) => void = () => {}): FirstSignal {
  const controller = new AbortController();
  let first: NodeJS.Signals | null = null;
  const onSignal = (name: NodeJS.Signals) => {
    if (first !== null) return;
    first = name;
    onFirst(name);
    controller.abort(name);
    afterAbort(name);
  };
  source.on("SIGINT", onSignal);
  source.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    received: () => first,
    dispose() {
      source.off("SIGINT", onSignal);
      source.off("SIGTERM", onSignal);
    },
  };
}
