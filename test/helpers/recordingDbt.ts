import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A dbt stand-in in `dir`: writes down where it ran, its arguments and `FAKE_MARK`, then writes a
 * manifest with one model (`model.p.a`) into the `--target-path` it was given, or, while a file
 * `dir/fail` exists, reports a dbt error and exits 2.
 */
export async function recordingDbt(dir: string): Promise<{ command: string; calls: () => Promise<{ cwd: string; args: string[]; mark: string }[]> }> {
  const log = join(dir, "calls.log");
  const command = join(dir, "dbt");
  const manifest = JSON.stringify({ metadata: { project_name: "p" }, nodes: { "model.p.a": { unique_id: "model.p.a", name: "a", resource_type: "model" } } });
  const error = JSON.stringify({ info: { name: "MainEncounteredError", level: "error", msg: "Encountered an error: refused" }, data: { exc: "Compilation Error refused" } });
  await writeFile(
    command,
    [
      "#!/bin/sh",
      `printf '%s\\t%s\\t%s\\n' "$(pwd)" "\${FAKE_MARK:-}" "$*" >> '${log}'`,
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
        .trim()
        .split("\n")
        .map((line) => {
          const [cwd, mark, args] = line.split("\t");
          return { cwd: cwd!, mark: mark!, args: args!.split(" ") };
        }),
  };
}

/** The value given to `flag` in a recorded call's arguments. */
export const after = (args: string[], flag: string): string | undefined => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
