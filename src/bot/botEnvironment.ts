import { readFileSync } from "node:fs";
import { UserError } from "../core/userError.js";
import { readBotSettings, type BotSettings } from "./botSettings.js";

/** Everything the bot's process needs, read once from the environment at start-up. */
export interface BotEnvironment {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  port: number;
  host: string;
  webhookPath: string;
  /** REST base URL: GitHub.com, or a GitHub Enterprise Server's `https://host/api/v3`. */
  baseUrl: string;
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** `json` for a log collector, `pretty` (Probot's default) for a person. */
  logFormat: "json" | "pretty";
  settings: BotSettings;
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

/** Probot's own variable names where it has them (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST ...). */
export function readBotEnvironment(env: NodeJS.ProcessEnv): BotEnvironment {
  const missing = ["APP_ID", "WEBHOOK_SECRET"].filter((name) => !env[name]);
  if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) missing.push("PRIVATE_KEY (or PRIVATE_KEY_PATH)");
  if (missing.length > 0) throw new UserError(`missing environment variables: ${missing.join(", ")} (see .env.example)`);
  if (!/^\d+$/.test(env.APP_ID!)) throw new UserError(`APP_ID: '${env.APP_ID}' is not the app's numeric id`);
  const port = Number(env.PORT ?? "3000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`PORT: '${env.PORT}' is not a port number`);
  const logLevel = (env.LOG_LEVEL || "info") as BotEnvironment["logLevel"];
  if (!LOG_LEVELS.includes(logLevel)) throw new UserError(`LOG_LEVEL: '${logLevel}' is not one of ${LOG_LEVELS.join(", ")}`);
  const logFormat = (env.LOG_FORMAT || "pretty") as BotEnvironment["logFormat"];
  if (logFormat !== "json" && logFormat !== "pretty") throw new UserError(`LOG_FORMAT: '${logFormat}' is not json or pretty`);
  return {
    appId: env.APP_ID!,
    privateKey: readPrivateKey(env),
    webhookSecret: env.WEBHOOK_SECRET!,
    port,
    host: env.HOST || "0.0.0.0",
    webhookPath: env.WEBHOOK_PATH || "/api/github/webhooks",
    baseUrl: apiBaseUrl(env),
    logLevel,
    logFormat,
    settings: readBotSettings(env),
  };
}

/** GITHUB_API_URL as the Action has it; GHE_HOST (+ GHE_PROTOCOL) as Probot has it; else GitHub.com. */
function apiBaseUrl(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_API_URL) return env.GITHUB_API_URL.replace(/\/+$/, "");
  if (env.GHE_HOST) return `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}/api/v3`;
  return "https://api.github.com";
}

/**
 * The PEM key as GitHub hands it out. In a `.env` file it is often one line with `\n` escapes, or
 * base64 (hosting dashboards that refuse newlines); all three are accepted.
 */
function readPrivateKey(env: NodeJS.ProcessEnv): string {
  let key: string;
  if (env.PRIVATE_KEY) {
    key = env.PRIVATE_KEY.replace(/\\n/g, "\n");
    if (!key.includes("-----BEGIN")) key = Buffer.from(key, "base64").toString("utf8");
  } else {
    try {
      key = readFileSync(env.PRIVATE_KEY_PATH!, "utf8");
    } catch (error) {
      throw new UserError(`PRIVATE_KEY_PATH: cannot read ${env.PRIVATE_KEY_PATH} (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
  }
  if (!/-----BEGIN (?:RSA )?PRIVATE KEY-----/.test(key)) throw new UserError("the private key is not a PEM key (-----BEGIN RSA PRIVATE KEY-----) as GitHub gives it");
  return key;
}
