import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { PRIVATE_KEY } from "./botHarness.js";
import { REPO_ROOT } from "./scratchExample.js";

/** The webhook secret the bundled bot is started with in tests. */
export const BOT_WEBHOOK_SECRET = "e2e-webhook-secret";

/** What a host sets for the bundled bot, its GitHub the test's stand-in at `apiUrl`; listening on a free port. */
export function botProcessEnvironment(apiUrl: string): Record<string, string> {
  return {
    APP_ID: "1234",
    PRIVATE_KEY: PRIVATE_KEY.replace(/\n/g, "\\n"),
    WEBHOOK_SECRET: BOT_WEBHOOK_SECRET,
    PORT: "0",
    HOST: "127.0.0.1",
    GITHUB_API_URL: apiUrl,
    UNSKIP_GITHUB_WRITE_SPACING: "none",
  };
}

/** The `x-hub-signature-256` GitHub sends with `body`. */
export function signWebhook(body: string, secret = BOT_WEBHOOK_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The bot's bundle, as the docs start it. */
export const BOT_BUNDLE = join(REPO_ROOT, "dist", "bot.js");

/**
 * `node [nodeArgs] dist/bot.js` in `cwd` with exactly `env` (plus PATH); resolves with its webhook URL
 * once it listens.
 */
export async function startBotProcess(cwd: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeArgs, BOT_BUNDLE], { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/github\/webhooks)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`the bot exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

/** SIGTERM (the bot closes its server and exits), and its exit awaited. */
export async function stopBotProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
