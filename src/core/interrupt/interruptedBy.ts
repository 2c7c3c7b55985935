/**
 * What stopped a run whose abort signal fired: the signal's name when the abort carried one (the
 * CLI and the Action abort with "SIGINT" or "SIGTERM"), else "an interrupt"; null when it did not fire.
 */
export function interruptedBy(signal: AbortSignal | undefined): string | null {
  if (!signal?.aborted) return null;
  return typeof signal.reason === "string" && /^SIG[A-Z]+$/.test(signal.reason) ? signal.reason : "an interrupt";
}
