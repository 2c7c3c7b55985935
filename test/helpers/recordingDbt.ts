import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A dbt stand-in in `dir`: writes down where it ran, its arguments and the `variables` it was given
 * (null: not set; dbt sees only the allow-listed and set ones), then writes a
 * manifest with one model (`model.p.a`) into the `--target-path` it was given, or, while a file
 * `dir/fail` exists, reports a dbt error and exits 2.
 */
export async function recordingDbt(
  dir: string,
  variables: readonly string[] = ["FAKE_MARK"],
): Promise<{ command: string; calls: () => Promise<{ cwd: string; args: string[]; env: Record<string, string | null> }[]> }> {
  const log = join(dir, "calls.log");
  const command = join(dir, "dbt");
  const manifest = JSON.stringify({ metadata: { project_name: "p" }, nodes: { "model.p.a": { unique_id: "model.p.a", name: "a", resource_type: "model" } } });
  const error = JSON.stringify({ info: { name: "MainEncounteredError", level: "error", msg: "Encountered an error: refused" }, data: { exc: "Compilation Error refused" } });
  await writeFile(
    command,
    [
      "#!/bin/sh",
      // One line a call: the folder, the arguments, then for each variable "set" (empty when unset) and its value.
      `printf '%s\\t%s' "$(pwd)" "$*" >> '${log}'`,
      ...variables.map((name) => `printf '\\t%s\\t%s' "\${${name}+set}" "\${${name}-}" >> '${log}'`),
      `printf '\\n' >> '${log}'`,
      'target=""; prev=""',
      'for a in "$@"; do if [ "$prev" = "--target-path" ]; then target="$a"; fi; prev="$a"; done',
      `if [ -e '${join(dir, "fail")}' ]; then echo '${error}'; exit 2; fi`,
      'mkdir -p "$target"',
      `echo '${manifest}' > "$target/manifest.json"`,
      "",
    ].join("\n"),
  );
  await chmod(command, 0o755);
  return {
    command,
    calls: async () =>
      (await readFile(log, "utf8"))
        .split("\n")
        // Not trimmed: an empty value is the line's last field.
        .filter((line) => line !== "")
        .map((line) => {
          const [cwd, args, ...values] = line.split("\t");
          const env = Object.fromEntries(variables.map((name, i) => [name, values[2 * i] === "set" ? values[2 * i + 1]! : null]));
          return { cwd: cwd!, args: args!.split(" "), env };
        }),
  };
}

/** The value given to `flag` in a recorded call's arguments. */
export const flagValue = (args: string[], flag: string): string | undefined => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
