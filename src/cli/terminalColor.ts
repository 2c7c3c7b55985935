import type { Output } from "./cliCommand.js";

/**
 * Whether to colour what goes to `stream` (https://no-color.org and the FORCE_COLOR convention):
 * NO_COLOR set and not empty: never; FORCE_COLOR set: yes unless it is `0` or `false`; otherwise
 * only on a terminal that is not `dumb`.
 */
export function useColor(stream: Output, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return (stream as { isTTY?: boolean }).isTTY === true && env.TERM !== "dumb";
}

const SGR = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const bold = SGR("1");
const STYLES: [RegExp, (line: string) => string][] = [
  [/^━+$/, SGR("2")],
  [/^(✅|🟢)/u, (l) => bold(SGR("32")(l))],
  [/^(❌|🛑|Error:)/u, (l) => bold(SGR("31")(l))],
  [/^(⏸️|❓|⚠️|🟡|✋|↩️)/u, (l) => bold(SGR("33")(l))],
  [/^(🎯|🔄|Next:|Next steps:)/u, (l) => bold(SGR("36")(l))],
  [/^[A-Z][A-Z ]+[A-Z](:| \()/, bold],
];

/**
 * Colours a plain report line by line, by what each line starts with (a verdict mark, a heading, a
 * rule): the renderers stay plain text, so `--json`, pipes and the recorded-output tests see no
 * escape codes, and a new command's report is coloured the same way for free.
 */
export function colorize(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const style = STYLES.find(([pattern]) => pattern.test(line.trimStart()));
      return style && line.trim() !== "" ? style[1](line) : line;
    })
    .join("\n");
}
