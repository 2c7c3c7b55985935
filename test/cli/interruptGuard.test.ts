import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { guardInterrupts, withInterrupt } from "../../src/cli/interruptGuard.js";

// The CLI's one interrupt mechanism (restore, pause, generate, run, rollback, backfill). Signals come
// from a stand-in emitter, never from the test process.
function harness() {
  const source = new EventEmitter();
  const said: string[] = [];
  return { source, said, log: { write: (text: string) => said.push(text) } };
}

describe("guardInterrupts", () => {
  it("aborts at the first SIGINT or SIGTERM, says what happens now, and absorbs every later one", () => {
    const { source, said, log } = harness();
    let phase = "dbt";
    const guard = guardInterrupts(log, () => `Interrupted during ${phase}.`, source);
    expect(guard.signal.aborted).toBe(false);
    expect(guard.received()).toBeNull();
    phase = "apply";
    source.emit("SIGTERM", "SIGTERM");
    expect(guard.signal.aborted).toBe(true);
    expect(guard.received()).toBe("SIGTERM");
    // A second Ctrl-C while undoing: still absorbed (a listener is there, so the process is not killed), nothing said.
    source.emit("SIGINT", "SIGINT");
    expect(source.listenerCount("SIGINT")).toBe(1);
    expect(guard.received()).toBe("SIGTERM");
    expect(said).toEqual(["\nInterrupted during apply.\n"]);
    guard.dispose();
    expect(source.listenerCount("SIGINT") + source.listenerCount("SIGTERM")).toBe(0);
  });

  it("takes a fixed message too", () => {
    const { source, said, log } = harness();
    const guard = guardInterrupts(log, "Interrupted: stopping dbt.", source);
    source.emit("SIGINT", "SIGINT");
    guard.dispose();
    expect(said).toEqual(["\nInterrupted: stopping dbt.\n"]);
  });
});

describe("withInterrupt", () => {
  it("gives the work the guard's signal, reports whether an interrupt came, and keeps absorbing until the work ends", async () => {
    const { source, said, log } = harness();
    const result = await withInterrupt(
      log,
      "Interrupted: stopping; whatever was changed is put back.",
      async (signal) => {
        source.emit("SIGINT", "SIGINT");
        expect(signal.aborted).toBe(true);
        // The old withInterrupt listened `once`: a second SIGINT here found no listener and killed the process mid-undo.
        expect(source.listenerCount("SIGINT")).toBe(1);
        source.emit("SIGINT", "SIGINT");
        return "undone";
      },
      source,
    );
    expect(result).toEqual({ value: "undone", interrupted: true });
    expect(said).toHaveLength(1);
    expect(source.listenerCount("SIGINT") + source.listenerCount("SIGTERM")).toBe(0);
  });

  it("without a signal: not interrupted; listeners removed even when the work throws", async () => {
    const { source, log } = harness();
    expect(await withInterrupt(log, "x", async () => 1, source)).toEqual({ value: 1, interrupted: false });
    await expect(withInterrupt(log, "x", async () => Promise.reject(new Error("boom")), source)).rejects.toThrow("boom");
    expect(source.listenerCount("SIGINT") + source.listenerCount("SIGTERM")).toBe(0);
  });
});
