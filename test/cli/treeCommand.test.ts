import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { parseCommandArgs } from "../../src/cli/cliCommand.js";
import { checkModelsAndTimeout, runTreeCommand, TREE_COMMAND_OPTIONS, type TreeCommandStart, type TreeUseCaseInput } from "../../src/cli/treeCommand.js";
import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";

// `restore` and `pause` hand their use case one input built in one place (`runTreeCommand`): the
// profiles folder as `--profiles-dir` gave it (resolved once against the CLI's folder), the models and
// the timeout as checked. Pause used to resolve it a second time, against the process's folder.
const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function treeStart(argv: string[]): { start: TreeCommandStart; written: string[]; printed: string[] } {
  const cwd = mkdtempSync(join(tmpdir(), "tree-command-"));
  folders.push(cwd);
  const { values, common } = parseCommandArgs("pause", argv, TREE_COMMAND_OPTIONS, cwd);
  const written: string[] = [];
  const printed: string[] = [];
  const start: TreeCommandStart = {
    values,
    common,
    dimension: "dim_user",
    checked: checkModelsAndTimeout(values),
    root: common.root,
    files: undefined as never,
    config: DEFAULT_CONFIG,
    log: { write: (text: string) => written.push(text) },
    print: (_result, text) => printed.push(text()),
    dbt: { command: "/venv/bin/dbt", version: "1.9.0" },
  };
  return { start, written, printed };
}

describe("runTreeCommand", () => {
  it("gives the use case the tree, dbt's settings as parsed, and the progress lines; prints the report and maps the exit", async () => {
    const { start, written, printed } = treeStart(["--profiles-dir", "profiles", "--target", "ci", "--models", "a,b", "--timeout", "7"]);
    let given: TreeUseCaseInput | undefined;
    const code = await runTreeCommand(start, {
      noun: "pause",
      exit: { paused: 0, failed: 1 },
      render: (outcome) => `report: ${outcome.result}`,
      ending: () => "never",
      run: async (input) => {
        given = input;
        input.progress("dbt parse");
        return { result: "failed" as "paused" | "failed", error: null };
      },
    });
    expect(code).toBe(1);
    expect(given).toMatchObject({
      root: start.root,
      dimension: "dim_user",
      models: ["a", "b"],
      dbt: start.dbt,
      profilesDir: join(start.root, "profiles"),
      target: "ci",
      timeoutMs: 7000,
    });
    expect(given?.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(given?.signal.aborted).toBe(false);
    expect(written).toEqual(["dbt parse\n"]);
    expect(printed).toEqual(["report: failed"]);
  });

  it("leaves the profiles folder unset without --profiles-dir (the project's own profiles.yml is found later)", async () => {
    const { start } = treeStart([]);
    let given: TreeUseCaseInput | undefined;
    await runTreeCommand(start, {
      noun: "restore",
      exit: { restored: 0 },
      render: () => "",
      ending: () => "never",
      run: async (input) => {
        given = input;
        return { result: "restored" as const, error: null };
      },
    });
    expect(given?.profilesDir).toBeUndefined();
    expect(given?.timeoutMs).toBe(600_000);
    expect(given?.models).toBeUndefined();
  });

  it("Ctrl-C at the question is said as an interrupt, not 'cancelled' beside exit 130; JSON and last line agree", async () => {
    const { start, written, printed } = treeStart(["--json"]);
    const signals = new EventEmitter();
    let json: unknown;
    start.print = (result) => {
      json = result;
      printed.push("json");
    };
    const code = await runTreeCommand(start, {
      noun: "restore",
      exit: { cancelled: 0, interrupted: 130 },
      render: () => "",
      ending: (signal, outcome) => `${signal}: ${outcome?.result}`,
      signals,
      run: async () => {
        // As confirmOnTerminal does when readline reads Ctrl-C at the prompt: the guard hears SIGINT, the answer is no.
        signals.emit("SIGINT", "SIGINT");
        return { result: "cancelled" as "cancelled" | "interrupted", error: null };
      },
    });
    expect(code).toBe(130);
    expect(json).toEqual({ result: "interrupted", error: "stopped by SIGINT at the question, before anything was changed" });
    expect(written.at(-1)).toBe("SIGINT: interrupted\n");
    expect(signals.listenerCount("SIGINT")).toBe(0);
  });

  it("the interrupt line is true in each phase: 'stopping dbt' only while a scratch dbt runs", async () => {
    const said: string[] = [];
    for (const when of ["checks", "dbt", "after-dbt", "prepare", "apply"] as const) {
      const { start, written } = treeStart([]);
      const signals = new EventEmitter();
      const scratch = (async (_at, _input, work) =>
        work(undefined as never, async () => {
          if (when === "dbt") signals.emit("SIGINT", "SIGINT");
          return { exitCode: 0, killedBy: null, timedOut: false, events: [], otherOutput: "", invocation: [] };
        })) as TreeUseCaseInput["scratch"];
      await runTreeCommand(start, {
        noun: "restore",
        exit: { interrupted: 130 },
        render: () => "",
        ending: () => "end",
        signals,
        ports: { disk: undefined as never, git: undefined as never, scratch },
        run: async (input) => {
          if (when === "checks") signals.emit("SIGINT", "SIGINT");
          await input.scratch({ root: "/r", projectRoot: "/r" }, { ...input, progress: () => {} }, (_copy, dbt) => dbt(["parse"]));
          if (when === "after-dbt") signals.emit("SIGINT", "SIGINT");
          if (when === "prepare") {
            input.onStep("objects");
            signals.emit("SIGINT", "SIGINT");
          }
          if (when === "apply") {
            input.onStep("objects");
            input.onStep("rename");
            signals.emit("SIGINT", "SIGINT");
          }
          return { result: "interrupted" as const, error: null };
        },
      });
      said.push(written[0]!);
    }
    expect(said).toEqual([
      "\nInterrupted: stopping; the working tree stays as it was.\n",
      "\nInterrupted: stopping dbt; the working tree stays as it was.\n",
      "\nInterrupted: stopping; the working tree stays as it was.\n",
      "\nInterrupted: stopping before the restore is applied; the working tree stays as it was.\n",
      "\nInterrupted while the restore was being applied: undoing it, unless it had already completed (the last line says which).\n",
    ]);
  });
});
