import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import { UserError } from "../core/userError.js";
import { createApp } from "./app.js";
import { createBotServer } from "./botServer.js";
import { readBotEnvironment } from "./botEnvironment.js";
import { createBotOctokit } from "./createBotOctokit.js";

/**
 * The bot's process: settings from the environment, one Probot instance, its webhook middleware on
 * a plain HTTP server. Not Probot's `run`: that starts a setup wizard when the key is missing, and
 * a server should rather stop and say which variable is wrong.
 */
async function main(): Promise<void> {
  // A `.env` in the working folder, as Probot apps are usually configured; variables already set win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = readBotEnvironment(process.env);
  const probot = new Probot({
    appId: env.appId,
    privateKey: env.privateKey,
    secret: env.webhookSecret,
    baseUrl: env.baseUrl,
    logLevel: env.logLevel,
    logFormat: env.logFormat,
    Octokit: createBotOctokit({ requestTimeoutSeconds: env.settings.githubTimeoutSeconds, spaceWrites: env.settings.spaceWrites }),
  });
  const middleware = await createNodeMiddleware(createApp(env.settings), { probot, webhooksPath: env.webhookPath });
  // Every route's body is capped at GitHub's 25 MB while it streams, before the signature is checked.
  const server = createBotServer(middleware);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.port, env.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  // One line a supervisor (or a test started with PORT=0) can read the port from.
  probot.log.info(`dbt-unskip bot listening on http://${env.host}:${port}${env.webhookPath}`);
  const stop = () => server.close(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`dbt-unskip bot: ${error instanceof UserError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
