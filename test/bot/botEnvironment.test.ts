import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { readBotEnvironment } from "../../src/bot/botEnvironment.js";

const KEY = generateKeyPairSync("rsa", { modulusLength: 1024, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
const BASE = { APP_ID: "12", WEBHOOK_SECRET: "s", PRIVATE_KEY: KEY };

describe("readBotEnvironment: the bot's settings, checked at start-up", () => {
  it("defaults", () => {
    const env = readBotEnvironment(BASE);
    expect(env).toMatchObject({ appId: "12", port: 3000, host: "0.0.0.0", webhookPath: "/api/github/webhooks", baseUrl: "https://api.github.com", logLevel: "info" });
    expect(env.settings).toMatchObject({ workflow: "dbt-unskip.yml", comment: "changed", mergeComment: true, restoreAuthor: "github-actions[bot]" });
    expect(env.settings.propertiesThread).toEqual({ enabled: true });
  });

  it("DBT_UNSKIP_THREADS=0 keeps every scan on one thread, as for the CLI and the Action", () => {
    expect(readBotEnvironment({ ...BASE, DBT_UNSKIP_THREADS: "0" }).settings.propertiesThread).toEqual({ enabled: false });
    expect(readBotEnvironment({ ...BASE, DBT_UNSKIP_THREADS: "off" }).settings.propertiesThread).toEqual({ enabled: false });
  });

  it("the key as one line with \\n escapes, as base64, or from a file", () => {
    expect(readBotEnvironment({ ...BASE, PRIVATE_KEY: KEY.replace(/\n/g, "\\n") }).privateKey).toBe(KEY);
    expect(readBotEnvironment({ ...BASE, PRIVATE_KEY: Buffer.from(KEY).toString("base64") }).privateKey).toBe(KEY);
    const dir = mkdtempSync(join(tmpdir(), "dbt-unskip-key-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "app.pem");
    writeFileSync(file, KEY);
    expect(readBotEnvironment({ APP_ID: "12", WEBHOOK_SECRET: "s", PRIVATE_KEY_PATH: file }).privateKey).toBe(KEY);
  });

  it("GitHub Enterprise Server: GITHUB_API_URL, or Probot's GHE_HOST", () => {
    expect(readBotEnvironment({ ...BASE, GHE_HOST: "ghe.example.com" }).baseUrl).toBe("https://ghe.example.com/api/v3");
    expect(readBotEnvironment({ ...BASE, GITHUB_API_URL: "http://127.0.0.1:9/" }).baseUrl).toBe("http://127.0.0.1:9");
  });

  it.each([
    [{}, "missing environment variables: APP_ID, WEBHOOK_SECRET, PRIVATE_KEY (or PRIVATE_KEY_PATH)"],
    [{ ...BASE, APP_ID: "abc" }, "APP_ID: 'abc' is not the app's numeric id"],
    [{ ...BASE, PORT: "http" }, "PORT: 'http' is not a port number"],
    [{ ...BASE, PRIVATE_KEY: "-----BEGIN NOTHING-----" }, "not a PEM key"],
    [{ ...BASE, PRIVATE_KEY_PATH: "/nonexistent/key.pem", PRIVATE_KEY: "" }, "PRIVATE_KEY_PATH: cannot read /nonexistent/key.pem (ENOENT)"],
    [{ ...BASE, UNSKIP_WORKFLOW: "../../x.yml" }, "UNSKIP_WORKFLOW: '../../x.yml' is not a workflow file name"],
    [{ ...BASE, UNSKIP_COMMENT: "sometimes" }, "UNSKIP_COMMENT: 'sometimes'"],
    [{ ...BASE, UNSKIP_MAX_ARCHIVE_MB: "-1" }, "UNSKIP_MAX_ARCHIVE_MB: '-1' is not a number of megabytes"],
    [{ ...BASE, UNSKIP_RESTORE_AUTHOR: "a b" }, "UNSKIP_RESTORE_AUTHOR"],
  ])("refuses %j", (env, message) => {
    expect(() => readBotEnvironment(env as NodeJS.ProcessEnv)).toThrow(message);
  });
});
