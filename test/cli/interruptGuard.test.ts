import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { guardInterrupts, interruptExitCode, runStoppable } from "../../src/cli/interruptGuard.js";

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
    // The abort carries the signal's name, so a use case can say which one stopped it.
    expect(guard.signal.reason).toBe("SIGTERM");
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

describe("interruptExitCode", () => {
  it("is 128 + the signal's number, as a shell reports it", () => {
    expect(interruptExitCode("SIGINT")).toBe(130);
    expect(interruptExitCode("SIGTERM")).toBe(143);
  });
});

describe("runStoppable (plan, verify: commands that change nothing)", () => {
  it("gives the work the guard's signal, absorbs repeats, and after an interrupt neither finishes nor prints the result", async () => {
    const { source, said, log } = harness();
    let finished = false;
    const code = await runStoppable(
      log,
      "plan",
      async (signal, dbtStep) => {
        await dbtStep(async () => {
          source.emit("SIGTERM", "SIGTERM");
          expect(signal.aborted).toBe(true);
          source.emit("SIGINT", "SIGINT");
          expect(source.listenerCount("SIGINT")).toBe(1);
        });
        return () => {
          finished = true;
          return 0;
        };
      },
      source,
    );
    expect(code).toBe(143);
    expect(finished).toBe(false);
    expect(said).toEqual(["\nInterrupted: stopping dbt; the plan changes nothing.\n", "SIGTERM: the plan was stopped before it finished; nothing was printed or written as its result.\n"]);
    expect(source.listenerCount("SIGINT") + source.listenerCount("SIGTERM")).toBe(0);
  });

  it("says 'stopping dbt' only while a dbt step runs: before it, and after it, just 'stopping'", async () => {
    const lines: string[] = [];
    for (const when of ["before", "during", "after"] as const) {
      const { source, said, log } = harness();
      await runStoppable(
        log,
        "verify",
        async (_signal, dbtStep) => {
          if (when === "before") source.emit("SIGINT", "SIGINT");
          await dbtStep(async () => when === "during" && source.emit("SIGINT", "SIGINT"));
          if (when === "after") source.emit("SIGINT", "SIGINT");
          return () => 0;
        },
        source,
      );
      lines.push(said[0]!);
    }
    expect(lines).toEqual(["\nInterrupted: stopping; the verify changes nothing.\n", "\nInterrupted: stopping dbt; the verify changes nothing.\n", "\nInterrupted: stopping; the verify changes nothing.\n"]);
  });

  it("--json: the interrupted object says dbt was stopped only when a dbt step had begun", async () => {
    const errors: string[] = [];
    for (const when of ["before", "during"] as const) {
      const { source, log } = harness();
      let json = "";
      await runStoppable(
        log,
        "plan",
        async (_signal, dbtStep) => {
          // "before": finding dbt (its version check), reading the project.
          if (when === "before") source.emit("SIGINT", "SIGINT");
          await dbtStep(async () => when === "during" && source.emit("SIGINT", "SIGINT"));
          return () => 0;
        },
        source,
        { write: (text: string) => (json += text) },
      );
      errors.push((JSON.parse(json) as { error: string }).error);
    }
    expect(errors).toEqual(["stopped by SIGINT before it finished; it was stopped before dbt ran, and nothing was written", "stopped by SIGINT before it finished; dbt was stopped and nothing was written"]);
  });

  it("an error thrown because dbt was stopped is the interrupt, not an error", async () => {
    const { source, said, log } = harness();
    const code = await runStoppable(
      log,
      "verify",
      async () => {
        source.emit("SIGINT", "SIGINT");
        throw new Error("dbt parse was killed (SIGTERM)");
      },
      source,
    );
    expect(code).toBe(130);
    expect(said.join("")).not.toContain("killed");
  });

  it("a signal while the result is printed and written does not cut that short, and the exit still says it came", async () => {
    const { source, said, log } = harness();
    let printed = false;
    const code = await runStoppable(
      log,
      "plan",
      async () => async () => {
        source.emit("SIGINT", "SIGINT");
        printed = true;
        return 0;
      },
      source,
    );
    expect(printed).toBe(true);
    expect(code).toBe(130);
    expect(said).toEqual([
      "\nInterrupted: the plan had finished; its result is being printed (and written) in full first.\n",
      "SIGINT arrived after the plan had finished; its result was printed (and written) in full.\n",
    ]);
  });

  it("without a signal: finishes with its own code; listeners removed even when the work throws", async () => {
    const { source, log } = harness();
    expect(await runStoppable(log, "x", async () => () => 1, source)).toBe(1);
    await expect(runStoppable(log, "x", async () => Promise.reject(new Error("boom")), source)).rejects.toThrow("boom");
    expect(source.listenerCount("SIGINT") + source.listenerCount("SIGTERM")).toBe(0);
  });
});
