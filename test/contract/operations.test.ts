import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findOperation } from "../helpers/githubContract.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";

// The operations the permissions section of docs/action.md lists are exactly the ones the source calls, and
// each is an operation of the pinned description.

const used = JSON.parse(readFileSync(join(REPO_ROOT, "test/contract/operations.json"), "utf8")) as { rest: { id: string }[] };
const endpointsFile = createRequire(import.meta.url)
  .resolve("@octokit/plugin-rest-endpoint-methods")
  .replace(/dist-\w+\/index\.js$/, "dist-src/generated/endpoints.js");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** `METHOD /path` of every REST call in src: `octokit.rest.<scope>.<method>` through Octokit's endpoint table, and `octokit.request("…")`. */
async function calledInSource(): Promise<Set<string>> {
  const { default: endpoints } = (await import(endpointsFile)) as { default: Record<string, Record<string, [string]>> };
  const calls = new Set<string>();
  for (const file of sourceFiles(join(REPO_ROOT, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\.rest\.(\w+)\.(\w+)\b/g)) calls.add(endpoints[m[1]!]![m[2]!]![0]);
    for (const m of text.matchAll(/\.request\("([A-Z]+ \/[^"]+)"/g)) calls.add(m[1]!);
  }
  // Probot asks for the installation token itself before the app's first call in a repository.
  calls.add("POST /app/installations/{installation_id}/access_tokens");
  return calls;
}

describe("the operations the product uses", () => {
  it("are each in the pinned REST description, and are the ones the source calls", async () => {
    const listed = used.rest.map(({ id }) => id).sort();
    const called = [...(await calledInSource())].map((call) => {
      const [method, template] = call.split(" ") as [string, string];
      const operation = findOperation(method, template.replace(/\{[^}]+\}/g, "1"));
      expect(operation, call).toBeDefined();
      return operation!.id;
    });
    expect([...new Set(called)].sort()).toEqual(listed);
    expect(listed).toHaveLength(20);
  });

  it("the docs' permissions section (docs/action.md) lists each of them", () => {
    const doc = readFileSync(join(REPO_ROOT, "docs/action.md"), "utf8");
    const section = doc.slice(doc.indexOf("## GitHub API operations and permissions"));
    for (const { id } of used.rest) expect(section).toContain(`\`${id}\``);
  });
});
