import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64Forms, redactDeep, redactSecrets, REDACTED } from "../../../src/core/warehouseRun/redactSecrets.js";
import { secretValues } from "../../../src/core/warehouseRun/secretValues.js";

// RELIABILITY 15: what dbt prints is redacted before any report shows it.
const TOKEN = "ghp_S3cr3tT0kenValue42";

describe("redactSecrets", () => {
  it("hides a secret as written, and in base64 on its own or inside a longer encoded text", () => {
    const basic = Buffer.from(`svc-user:${TOKEN}`).toString("base64");
    const text = `connection to https://svc:${TOKEN}@wh failed\nAuthorization: Basic ${basic}\nalone: ${Buffer.from(TOKEN).toString("base64")}\nurl-safe: ${Buffer.from(`??${TOKEN}`).toString("base64url")}`;
    const out = redactSecrets(text, [TOKEN]);
    expect(out).not.toContain(TOKEN);
    for (const form of base64Forms(TOKEN)) expect(out).not.toContain(form);
    expect(out).toContain(`https://svc:${REDACTED}@wh failed`);
    expect(out).toContain("Authorization: Basic ");
  });

  it("property: no secret of six characters or more survives, plain or in any base64 alignment", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, maxLength: 30 }), fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (secret, before, after) => {
        const plain = redactSecrets(`${before}${secret}${after}`, [secret]);
        expect(plain).not.toContain(secret);
        // The encoded characters that depend on the secret's bytes alone, found independently of the product.
        const prefix = Buffer.from(before, "utf8");
        const bytes = Buffer.from(secret, "utf8");
        const encoded = Buffer.concat([prefix, bytes, Buffer.from(after, "utf8")]).toString("base64");
        const first = Math.ceil((prefix.length * 8) / 6);
        const end = Math.floor(((prefix.length + bytes.length) * 8) / 6);
        const fragment = encoded.slice(first, end);
        expect(redactSecrets(`log: ${encoded}`, [secret])).not.toContain(fragment);
      }),
      { numRuns: 500 },
    );
  });

  it("leaves short values alone (they would shred ordinary output) and walks JSON values", () => {
    expect(redactSecrets("true 1234 abc", ["true", "1234"])).toBe("true 1234 abc");
    expect(redactDeep({ a: [`x ${TOKEN}`], b: { c: TOKEN, n: 3 } }, [TOKEN])).toEqual({ a: [`x ${REDACTED}`], b: { c: REDACTED, n: 3 } });
  });
});

describe("secretValues", () => {
  it("takes variables whose names say secret, including passed-through ones and dbt's own DBT_ENV_SECRET_", () => {
    const env = { GITHUB_TOKEN: "gh-token-1", SNOWFLAKE_PASSWORD: "pw-123456", SNOWFLAKE_USER: "loader", DBT_ENV_SECRET_KEY: "dbt-secret-9", PATH: "/usr/bin", EMPTY_TOKEN: "" };
    expect(secretValues(env, ["SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD"]).sort()).toEqual(["dbt-secret-9", "gh-token-1", "pw-123456"]);
  });
});
