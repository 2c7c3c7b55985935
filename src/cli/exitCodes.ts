/**
 * Every command's exit codes, in one place: `--help` prints them from here (`exitCodesHelp`), the
 * table in docs/cli.md is this rendered (`exitCodesMarkdown`; test/cli/exitCodes.test.ts compares
 * them), and each command's own map from its result to a code is checked against it.
 */

export interface ExitCode {
  code: number;
  meaning: string;
}

/** 2 and 1 mean the same in every command: main.ts maps a UserError to 2 and anything else to 1. */
const INPUT: ExitCode = { code: 2, meaning: "a problem with the input (one line naming it)" };
const INTERNAL = "an internal failure";

/** 128 + the signal's number, as a shell reports a process the signal ended (interruptExitCode). */
function interrupted(what: string): ExitCode[] {
  return [
    { code: 130, meaning: `interrupted by Ctrl-C (SIGINT); ${what}` },
    { code: 143, meaning: "interrupted by SIGTERM (as 130)" },
  ];
}

export const EXIT_CODES = {
  status: [
    { code: 0, meaning: "the report was printed (whatever it says)" },
    { code: 1, meaning: INTERNAL },
    INPUT,
    ...interrupted("with --exact dbt is stopped and the scratch copy removed; nothing is printed as the result"),
  ],
  pause: [
    { code: 0, meaning: "paused, nothing to pause, a dry run, or cancelled (no changes made)" },
    { code: 1, meaning: "dbt or git failed, or dbt parse could not be made green within the dimension (no changes made)" },
    { code: 2, meaning: "a problem with the input, or another run holds the repository" },
    ...interrupted("the last line says whether the pause was undone or had completed"),
  ],
  restore: [
    { code: 0, meaning: "restored, or nothing ready (no changes made)" },
    { code: 1, meaning: "dbt or git failed (the working tree is as it was)" },
    { code: 2, meaning: "a problem with the input, or another run holds the repository" },
    { code: 3, meaning: "dbt rejected every ready model (no changes made)" },
    ...interrupted("the last line says whether the restore was undone or had completed"),
  ],
  generate: [
    { code: 0, meaning: "written, or cancelled" },
    { code: 1, meaning: INTERNAL },
    { code: 2, meaning: "a problem with the input (a malformed CSV names the line; nothing is written)" },
    ...interrupted("the last line says whether every file was written (it came too late to stop it) or none was"),
  ],
  plan: [{ code: 0, meaning: "the plan was printed (and written with --out)" }, { code: 1, meaning: INTERNAL }, INPUT, ...interrupted("dbt is stopped; nothing is printed or written as the result")],
  run: [
    { code: 0, meaning: "succeeded, or cancelled" },
    { code: 1, meaning: "dbt run, a test or a validation check failed" },
    INPUT,
    { code: 3, meaning: "a pre-flight check failed (nothing ran)" },
    ...interrupted("dbt is stopped; the report says during which step, and what was built stays"),
  ],
  rollback: [
    { code: 0, meaning: "rolled back, or cancelled" },
    { code: 1, meaning: "a dbt or shell step failed" },
    INPUT,
    { code: 3, meaning: "refused, nothing changed (a restored file changed since the restore)" },
    ...interrupted("the files are not touched unless rollback.sh had started: it is never cut short; run it again to finish"),
  ],
  backfill: [
    { code: 0, meaning: "complete (or nothing left, or cancelled)" },
    { code: 1, meaning: "a batch failed (rerun to resume)" },
    INPUT,
    ...interrupted("finished batches stay recorded, the stopped one is not recorded as failed; rerun to resume"),
  ],
  verify: [
    { code: 0, meaning: "nothing could make a model wrongly ready" },
    { code: 1, meaning: "something could (a missed edge, a model the engine counts as enabled that dbt disables)" },
    { code: 2, meaning: "a problem with the input (including a project dbt itself cannot parse)" },
    ...interrupted("dbt is stopped; nothing is printed as the result"),
  ],
} as const satisfies Record<string, readonly ExitCode[]>;

export type CommandName = keyof typeof EXIT_CODES;

/** The `Exit codes:` block of `dbt-unskip <name> --help`. */
export function exitCodesHelp(name: CommandName): string {
  return ["Exit codes:", ...EXIT_CODES[name].map((e) => `  ${String(e.code).padEnd(4)}${e.meaning}`)].join("\n");
}

/** The table in docs/cli.md between `<!-- exit-codes:start -->` and `<!-- exit-codes:end -->`. */
export function exitCodesMarkdown(): string {
  const rows = Object.entries(EXIT_CODES).flatMap(([name, codes]) => codes.map((e) => `| \`${name}\` | \`${e.code}\` | ${e.meaning.replaceAll("|", "\\|")} |`));
  return ["| command | exit | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}
