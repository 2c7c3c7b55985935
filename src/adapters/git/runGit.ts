import { execFile } from "node:child_process";

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
    /** The signal that killed git, when one did (a terminal's Ctrl-C reaches git too). */
    readonly signal: NodeJS.Signals | null = null,
  ) {
    // Arguments can be whole commit messages: keep the error to one readable line.
    const shown = args.map((a) => a.replace(/\s+/g, " ")).map((a) => (a.length > 60 ? `${a.slice(0, 57)}...` : a));
    super(`git ${shown.join(" ")} ${signal ? `was killed (${signal})` : `failed (exit ${code})`}: ${stderr.trim().split("\n").slice(-3).join(" ")}`);
    this.name = "GitError";
  }
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The one place git is run. Never prompts (a CI job would hang), C locale so messages are stable,
 * and a nonzero exit throws unless the caller says it is an expected answer.
 */
export function runGit(cwd: string, args: string[], options: { allowFailure?: boolean; env?: Record<string, string> | undefined; input?: string } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      {
        cwd,
        maxBuffer: 512 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...options.env },
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        if (code !== 0 && !options.allowFailure) return reject(new GitError(args, code, stderr, error?.signal ?? null));
        resolve({ code, stdout, stderr });
      },
    );
    // Text for git's standard input (`hash-object --stdin`, `update-index --index-info`); none otherwise.
    child.stdin?.on("error", () => {});
    child.stdin?.end(options.input ?? "");
  });
}
