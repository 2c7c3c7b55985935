#!/usr/bin/env node
// GitHub's published contract as the tests use it (test/helpers/githubContract.ts), from the command line.
//
//   node scripts/github-contract.mjs list
//       the operations the product uses (test/contract/operations.json): method, path, permission
//   node scripts/github-contract.mjs diff <@octokit/openapi version> [<@octokit/openapi-webhooks version>]
//       what would change for those operations and webhooks if the pinned descriptions were updated:
//       the other version is fetched with `npm pack` into a temporary folder (nothing installed), and
//       each used operation's parameters, request schema and response schemas (references resolved),
//       and each handled webhook's payload schema, are compared; descriptions and examples are ignored.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const used = JSON.parse(readFileSync(join(root, "test/contract/operations.json"), "utf8"));
const REST = "generated/api.github.com.json";

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const pinned = (name) => ({ version: readJson(require.resolve(`${name}/package.json`)).version, dir: dirname(require.resolve(`${name}/package.json`)) });

function operations(spec) {
  const byId = new Map();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of ["get", "put", "post", "patch", "delete"]) {
      const op = item[method];
      if (op) byId.set(op.operationId, { method: method.toUpperCase(), path, op, item });
    }
  }
  return byId;
}

function resolve(spec, node, seen = new Set()) {
  if (Array.isArray(node)) return node.map((n) => resolve(spec, n, seen));
  if (!node || typeof node !== "object") return node;
  if (typeof node.$ref === "string") {
    if (seen.has(node.$ref)) return { $ref: node.$ref };
    const target = node.$ref
      .slice(2)
      .split("/")
      .reduce((at, key) => at?.[key], spec);
    return resolve(spec, target, new Set([...seen, node.$ref]));
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "description" || key === "example" || key === "examples" || key === "summary" || key === "externalDocs") continue;
    out[key] = resolve(spec, value, seen);
  }
  return out;
}

function contractOf(spec, entry) {
  if (!entry) return undefined;
  const params = [...(entry.item.parameters ?? []), ...(entry.op.parameters ?? [])].map((p) => resolve(spec, p));
  return {
    method: entry.method,
    path: entry.path,
    parameters: Object.fromEntries(params.map((p) => [`${p.in}:${p.name}`, { required: Boolean(p.required), schema: p.schema }])),
    request: resolve(spec, entry.op.requestBody?.content?.["application/json"]?.schema ?? entry.op.requestBody ?? null),
    responses: Object.fromEntries(Object.entries(entry.op.responses ?? {}).map(([status, r]) => [status, resolve(spec, r)?.content?.["application/json"]?.schema ?? "(no body)"])),
  };
}

function differences(a, b, at = "", out = []) {
  if (out.length > 40) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(key in a)) out.push(`+ ${at}/${key}: ${short(b[key])}`);
      else if (!(key in b)) out.push(`- ${at}/${key}: ${short(a[key])}`);
      else differences(a[key], b[key], `${at}/${key}`, out);
    }
    return out;
  }
  out.push(`~ ${at || "/"}: ${short(a)} -> ${short(b)}`);
  return out;
}
const short = (value) => {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

function fetchVersion(name, version) {
  const dir = mkdtempSync(join(tmpdir(), "gh-contract-"));
  const file = execFileSync("npm", ["pack", `${name}@${version}`, "--silent", "--pack-destination", dir], { encoding: "utf8" })
    .trim()
    .split("\n")
    .at(-1);
  execFileSync("tar", ["-xzf", join(dir, file), "-C", dir]);
  return { dir: join(dir, "package"), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const [command, restVersion, webhooksVersion] = process.argv.slice(2);
if (command === "list") {
  const rest = pinned("@octokit/openapi");
  const ops = operations(readJson(join(rest.dir, REST)));
  console.log(`@octokit/openapi ${rest.version}: ${used.rest.length} REST operations, ${used.graphql.length} GraphQL query\n`);
  for (const { id, permission } of used.rest) {
    const entry = ops.get(id);
    console.log(entry ? `${entry.method.padEnd(6)} ${entry.path}  (${id}; ${permission})` : `MISSING ${id}: not in the pinned description`);
  }
  for (const { query, permission } of used.graphql) console.log(`POST   /graphql ${query}  (${permission})`);
} else if (command === "diff" && restVersion) {
  const rest = pinned("@octokit/openapi");
  const other = fetchVersion("@octokit/openapi", restVersion);
  try {
    const a = readJson(join(rest.dir, REST));
    const b = readJson(join(other.dir, REST));
    const [opsA, opsB] = [operations(a), operations(b)];
    console.log(`REST: @octokit/openapi ${rest.version} -> ${restVersion}`);
    let changed = 0;
    for (const { id } of used.rest) {
      const diff = differences(contractOf(a, opsA.get(id)), contractOf(b, opsB.get(id)));
      if (diff.length === 0) continue;
      changed++;
      console.log(`\n${id}:\n  ${diff.join("\n  ")}`);
    }
    console.log(changed === 0 ? "no change to the operations the product uses" : `\n${changed} of ${used.rest.length} operations changed`);
  } finally {
    other.cleanup();
  }
  if (webhooksVersion) {
    const hooks = pinned("@octokit/openapi-webhooks");
    const otherHooks = fetchVersion("@octokit/openapi-webhooks", webhooksVersion);
    try {
      const a = readJson(join(hooks.dir, REST));
      const b = readJson(join(otherHooks.dir, REST));
      console.log(`\nwebhooks: @octokit/openapi-webhooks ${hooks.version} -> ${webhooksVersion}`);
      for (const key of used.webhooks) {
        const schemaOf = (spec) => resolve(spec, spec.webhooks?.[key]?.post?.requestBody?.content?.["application/json"]?.schema ?? null);
        const diff = differences(schemaOf(a), schemaOf(b));
        if (diff.length > 0) console.log(`\n${key}:\n  ${diff.join("\n  ")}`);
      }
    } finally {
      otherHooks.cleanup();
    }
  }
} else {
  console.error("usage: node scripts/github-contract.mjs list | diff <@octokit/openapi version> [<@octokit/openapi-webhooks version>]");
  process.exit(2);
}
