import { execFile, spawnSync } from "node:child_process";

/**
 * shellcheck must be present: scripts/setup.sh installs it from Debian when it can. A missing
 * shellcheck fails the test with this message rather than skipping it, so CI cannot pass silently.
 */
export function requireShellcheck(): void {
  const probe = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
  if (probe.status !== 0) {
    throw new Error(
      "shellcheck is not installed, and the generated rollback scripts must pass it. Install it: `apt-get install shellcheck` " +
        "(scripts/setup.sh does this when run as root on Debian/Ubuntu), `brew install shellcheck`, or see https://www.shellcheck.net.",
    );
  }
}

/** shellcheck's findings for a POSIX sh script file (empty when clean). */
export function shellcheck(file: string): Promise<string> {
  return new Promise((resolve) => {
    execFile("shellcheck", ["--shell=sh", "--severity=style", file], { encoding: "utf8" }, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`.trim()));
  });
}
