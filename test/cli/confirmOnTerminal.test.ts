import { PassThrough } from "node:stream";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { confirmOnTerminal } from "../../src/cli/confirmOnTerminal.js";
import { timeoutOption } from "../../src/cli/dbtCommandContext.js";

// The one confirmation of the CLI (restore's 1/2/3, pause's and generate's y/N, run, rollback,
// backfill) and the one --timeout check.
function io(tty: boolean, answer?: string) {
  const stdin = Object.assign(new PassThrough(), { isTTY: tty }) as unknown as NodeJS.ReadStream;
  if (answer !== undefined) setImmediate(() => (stdin as unknown as PassThrough).write(`${answer}\n`));
  return { stdout: { write: () => true }, stderr: { write: () => true }, stdin, cwd: "/" };
}

/** What the question writes on the process's stderr (readline's output), captured instead of printed in the test run. */
function capturePrompts(): string[] {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  });
  onTestFinished(() => spy.mockRestore());
  return written;
}

describe("confirmOnTerminal", () => {
  it("--yes answers without asking or showing anything", async () => {
    let shown = false;
    expect(await confirmOnTerminal(io(false), { yes: true, question: "Go?", what: "x", show: () => (shown = true) })).toBe(true);
    expect(shown).toBe(false);
  });

  it("refuses without a terminal, naming what would change, before showing anything", async () => {
    let shown = false;
    await expect(confirmOnTerminal(io(false), { yes: false, question: "Go?", what: "pause renames files and commits", show: () => (shown = true) })).rejects.toThrow(
      "pause renames files and commits: confirm with --yes when not running in a terminal",
    );
    expect(shown).toBe(false);
  });

  it("y/N by default: y and yes (any case) accept, anything else declines; show runs before the question", async () => {
    const prompts = capturePrompts();
    for (const [answer, expected] of [
      ["y", true],
      [" YES ", true],
      ["n", false],
      ["", false],
      ["yess", false],
    ] as const) {
      let shown = false;
      expect(await confirmOnTerminal(io(true, answer), { yes: false, question: "Write these files?", what: "x", show: () => (shown = true) })).toBe(expected);
      expect(shown).toBe(true);
    }
    expect(prompts.join("")).toBe("Write these files? [y/N]: ".repeat(5));
  });

  it("takes other answers (restore's 1/2/3: only 1 resumes)", async () => {
    const prompts = capturePrompts();
    const answers = { prompt: "  [1/2/3]", accept: (a: string) => a === "1" };
    expect(await confirmOnTerminal(io(true, " 1 "), { yes: false, question: "1) resume", what: "x", answers })).toBe(true);
    expect(await confirmOnTerminal(io(true, "2"), { yes: false, question: "1) resume", what: "x", answers })).toBe(false);
    expect(await confirmOnTerminal(io(true, "y"), { yes: false, question: "1) resume", what: "x", answers })).toBe(false);
    expect(prompts.join("")).toBe("1) resume  [1/2/3]: ".repeat(3));
  });
});

describe("timeoutOption", () => {
  it("is the command's default when absent, a positive number of seconds otherwise", () => {
    expect(timeoutOption(undefined, 600)).toBe(600);
    expect(timeoutOption("1.5", 600)).toBe(1.5);
    for (const bad of ["0", "-3", "ten", "", "Infinity"]) expect(() => timeoutOption(bad, 600)).toThrow(`--timeout '${bad}': expected a number of seconds`);
  });
});
