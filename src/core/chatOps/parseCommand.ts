import { codeSpan } from "../render/codeSpan.js";
import { isPlainName } from "../plainName.js";

/** A chat-ops command, its arguments already checked as names. */
export type UnskipCommand =
  | { name: "help" }
  | { name: "status"; dimension: string | null }
  | { name: "verify" }
  | { name: "plan" | "rollback"; dimension: string }
  | { name: "restore"; dimension: string; models: string[] }
  | { name: "pause"; dimension: string; models: string[] };

export type ParsedComment =
  /** Not addressed to the tool: ignored without a word. */
  | { kind: "none" }
  | { kind: "command"; command: UnskipCommand }
  /** Addressed to the tool but wrong: the message says what is expected. */
  | { kind: "invalid"; message: string };

const MAX_MODELS = 50;

export const USAGE = [
  "`/unskip status [dimension]`: readiness, for all dimensions or one",
  "`/unskip plan <dimension>`: the migration plan (run by the Action, with dbt)",
  "`/unskip restore <dimension> [model ...]`: open or update the dimension's restore pull request (run by the Action)",
  "`/unskip pause <dimension> [model ...]`: open a pull request that pauses these active models (and what depends on them) so `dbt parse` keeps passing (run by the Action)",
  "`/unskip rollback <dimension>`: undo the dimension's last restore (run by the Action)",
  "`/unskip verify`: measure the static readiness engine against dbt on this repository (run by the Action, with dbt; figures in the run's summary)",
  "`/unskip help`: this list",
];

/**
 * Reads a command from a comment's first line only: a command quoted further down, or in a reply,
 * does nothing. Every argument must be a plain name (letters, digits, `_`): it travels into a
 * workflow input, a branch name and dbt's `--select`, where `-f`, `../x` or `a;b` could mean more.
 */
export function parseCommand(body: string): ParsedComment {
  const firstLine = (body.split(/\r?\n/, 1)[0] ?? "").trim();
  if (!/^\/unskip(?:\s|$)/.test(firstLine)) return { kind: "none" };
  const [verb = "help", ...args] = firstLine.split(/\s+/).slice(1);
  const bad = args.find((arg) => !isPlainName(arg));
  if (bad !== undefined) return { kind: "invalid", message: `${quote(bad)} is not a name: dimension and model names are letters, digits and \`_\`.` };
  const expect = (min: number, max: number, form: string): string | null => (args.length < min || args.length > max ? `\`/unskip ${verb}\` takes ${form}.` : null);
  switch (verb) {
    case "help":
      return { kind: "command", command: { name: "help" } };
    case "status": {
      const problem = expect(0, 1, "at most one dimension");
      return problem ? invalid(problem) : { kind: "command", command: { name: "status", dimension: args[0] ?? null } };
    }
    case "verify": {
      const problem = expect(0, 0, "no arguments");
      return problem ? invalid(problem) : { kind: "command", command: { name: "verify" } };
    }
    case "plan":
    case "rollback": {
      const problem = expect(1, 1, "one dimension");
      return problem ? invalid(problem) : { kind: "command", command: { name: verb, dimension: args[0]! } };
    }
    case "restore":
    case "pause": {
      const problem = expect(1, 1 + MAX_MODELS, `a dimension and at most ${MAX_MODELS} models`);
      return problem ? invalid(problem) : { kind: "command", command: { name: verb, dimension: args[0]!, models: [...new Set(args.slice(1))] } };
    }
    default:
      return invalid(`${quote(verb)} is not a command.`);
  }
}

function invalid(message: string): ParsedComment {
  return { kind: "invalid", message };
}

/** Shows what a person typed (shortened) without letting it become Markdown, a link or a mention. */
function quote(text: string): string {
  return codeSpan(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
