import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT as BACKFILL_EXIT } from "../../src/cli/backfillCommand.js";
import { COMMANDS } from "../../src/cli/commands.js";
import { type CommandName, EXIT_CODES, exitCodesHelp, exitCodesMarkdown } from "../../src/cli/exitCodes.js";
import { interruptExitCode } from "../../src/cli/interruptGuard.js";
import { EXIT as PAUSE_EXIT } from "../../src/cli/pauseCommand.js";
import { EXIT as RESTORE_EXIT } from "../../src/cli/restoreCommand.js";
import { EXIT as ROLLBACK_EXIT } from "../../src/cli/rollbackCommand.js";
import { EXIT as RUN_EXIT } from "../../src/cli/runCommand.js";
import { usage } from "../../src/cli/runCli.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";

// Exit codes come from one table (src/cli/exitCodes.ts): every command's --help prints its rows,
// docs/cli.md holds the table rendered, and the codes a command's result can map to are all in it.

const codes = (name: string) => EXIT_CODES[name as CommandName].map((e) => e.code);
const docs = (file: string) => readFile(join(REPO_ROOT, "docs", file), "utf8");

describe("exit codes", () => {
  it("every command has its codes in the table, and its --help prints them", () => {
    expect(Object.keys(EXIT_CODES).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
    for (const command of COMMANDS) expect(command.help, command.name).toContain(`\n${exitCodesHelp(command.name as CommandName)}\n`);
  });

  it("lists 0, 1 (an internal failure maps to it), 2 (a UserError), 130 and 143 everywhere, and every code a result maps to", () => {
    const interrupts = [interruptExitCode("SIGINT"), interruptExitCode("SIGTERM")];
    for (const command of COMMANDS) expect(codes(command.name), command.name).toEqual(expect.arrayContaining([0, 1, 2, ...interrupts]));
    const maps: Record<string, Record<string, number>> = { restore: RESTORE_EXIT, pause: PAUSE_EXIT, run: RUN_EXIT, rollback: ROLLBACK_EXIT, backfill: BACKFILL_EXIT };
    for (const [name, map] of Object.entries(maps)) expect(codes(name), name).toEqual(expect.arrayContaining(Object.values(map)));
    // Nothing listed that no command can give: 3 only where a result maps to it.
    for (const command of COMMANDS) if (codes(command.name).includes(3)) expect(Object.values(maps[command.name] ?? {}), command.name).toContain(3);
  });

  it("the top-level usage names the commands that also use 3 from the same table", () => {
    expect(usage(COMMANDS)).toContain("restore, run, rollback also use 3.");
  });

  it("docs/cli.md holds the table as rendered from the code", async () => {
    const text = await docs("cli.md");
    const block = text.match(/<!-- exit-codes:start -->\n([\s\S]*?)\n<!-- exit-codes:end -->/)?.[1];
    expect(block, "docs/cli.md: replace the exit-codes block with exitCodesMarkdown()").toBe(exitCodesMarkdown());
  });

  it("each command's own 'Exit codes:' paragraph in the docs names the same codes", async () => {
    const paragraphs: [CommandName, string, string][] = [
      ["pause", "cli.md", "## Pause"],
      ["restore", "cli.md", "## Restore"],
      ["verify", "cli.md", "## Verify"],
      ["generate", "generate.md", "# "],
      ["run", "plans-runs-rollbacks.md", "## `run`"],
    ];
    for (const [name, file, section] of paragraphs) {
      const text = await docs(file);
      const from = text.indexOf(section);
      const start = text.indexOf("Exit codes:", from);
      expect(from >= 0 && start >= 0, `${file} ${section}`).toBe(true);
      const paragraph = text.slice(start, text.indexOf("\n\n", start));
      const said = [...paragraph.matchAll(/`(\d+)`/g)].map((m) => Number(m[1]));
      expect(
        [...new Set(said)].sort((a, b) => a - b),
        `${file} ${section}`,
      ).toEqual(codes(name));
    }
  });
});
