import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/**
 * GitHub's published contract, as the tests hold the stand-in to it: the REST description
 * (`@octokit/openapi`, pinned in package.json) for every request and every answer, the webhook
 * description (`@octokit/openapi-webhooks`) for every payload, and the GraphQL schema
 * (`@octokit/graphql-schema`) for every query. One module for every tier: the stand-in
 * (`githubStandIn.ts`) checks each request and answer with it, the bot harness and the bundled runs
 * check each payload.
 *
 * The descriptions are large (the REST one is 13 MB of JSON): each is read once per process, when
 * first needed, and each operation's schemas are compiled the first time a request reaches it.
 */

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const REST_DESCRIPTION = "@octokit/openapi/generated/api.github.com.json";
export const WEBHOOKS_DESCRIPTION = "@octokit/openapi-webhooks/generated/api.github.com.json";

/** The pinned versions of the three descriptions (what `scripts/github-contract-diff.mjs` compares against). */
export function descriptionVersions(): { rest: string; webhooks: string; graphql: string } {
  const version = (name: string) => (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
  return { rest: version("@octokit/openapi"), webhooks: version("@octokit/openapi-webhooks"), graphql: version("@octokit/graphql-schema") };
}

type Json = Record<string, any>;

/**
 * Statuses GitHub can send for any operation although the description lists them on few: malformed
 * JSON (400), auth (401), a repository or resource the token cannot see (404), rate limits, outages.
 */
const ANY_OPERATION_STATUSES = new Set([400, 401, 404, 403, 429, 500, 502, 503, 504]);

export interface Operation {
  /** GitHub's operationId, e.g. `issues/create-comment`. */
  id: string;
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  template: string;
  /** Path parameters as the request spelt them (decoded). */
  pathParams: Record<string, string>;
  /** The scope a fine-grained token or app needs (Octokit's `x-github` extension), when the description says. */
  category: string;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  literalSegments: number;
  operation: Json;
  pathItem: Json;
}

interface Description {
  spec: Json;
  ajv: Ajv;
  routes: Route[];
  compiled: Map<string, ValidateFunction>;
}

let rest: Description | undefined;
let webhooks: Description | undefined;

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

/**
 * OpenAPI 3.0's `nullable` beside `allOf`/`anyOf` (no `type`), which JSON Schema cannot say: as
 * `anyOf: [schema, null]`. Done in place, once, on the parsed description.
 */
function fixNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) fixNullable(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  const object = node as Json;
  for (const value of Object.values(object)) fixNullable(value);
  if (object.nullable === true && object.type === undefined) {
    const inner: Json = { ...object };
    delete inner.nullable;
    for (const key of Object.keys(object)) delete object[key];
    object.anyOf = [inner, { type: "null" }];
  }
}

/** A copy of `schema` whose local references point into the description registered as `docId`. */
function rebase(schema: unknown, docId: string): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${docId}#/`));
}

function loadRest(): Description {
  if (rest) return rest;
  const spec = JSON.parse(readFileSync(require.resolve(REST_DESCRIPTION), "utf8")) as Json;
  fixNullable(spec.components.schemas);
  const ajv = newAjv();
  ajv.addSchema({ $id: "rest", components: { schemas: spec.components.schemas } });
  const routes: Route[] = [];
  for (const [template, pathItem] of Object.entries(spec.paths as Json)) {
    const names: string[] = [];
    const segments = template.split("/");
    const params = [...(pathItem.parameters ?? []), ...Object.values(pathItem).flatMap((o: any) => (o && Array.isArray(o.parameters) ? o.parameters : []))].map((p: Json) => deref(spec, p));
    const pattern = new RegExp(
      "^" +
        segments
          .map((segment) =>
            segment.replace(/\{([^}]+)\}|[^{}]+/g, (part, name?: string) => {
              if (!name) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
              names.push(name);
              return params.some((p) => p.name === name && p["x-multi-segment"]) ? "(.+)" : "([^/]+)";
            }),
          )
          .join("/") +
        "$",
    );
    const literalSegments = segments.filter((s) => s !== "" && !s.includes("{")).length;
    for (const method of ["get", "put", "post", "delete", "patch", "head"]) {
      if (pathItem[method]) routes.push({ method: method.toUpperCase(), template, pattern, names, literalSegments, operation: pathItem[method], pathItem });
    }
  }
  // Where two templates match a path, the one with more literal segments is meant (`/pulls/comments` before `/pulls/{n}`).
  routes.sort((a, b) => b.literalSegments - a.literalSegments);
  rest = { spec, ajv, routes, compiled: new Map() };
  return rest;
}

function loadWebhooks(): Description {
  if (webhooks) return webhooks;
  const spec = JSON.parse(readFileSync(require.resolve(WEBHOOKS_DESCRIPTION), "utf8")) as Json;
  fixNullable(spec.components.schemas);
  const ajv = newAjv();
  ajv.addSchema({ $id: "webhooks", components: { schemas: spec.components.schemas } });
  webhooks = { spec, ajv, routes: [], compiled: new Map() };
  return webhooks;
}

function deref(spec: Json, node: Json): Json {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === "string" && hops < 10; hops++) {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((at: Json, key: string) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], spec);
  }
  return current;
}

function compile(description: Description, key: string, schema: unknown, docId: string): ValidateFunction {
  let validate = description.compiled.get(key);
  if (!validate) {
    const copy = rebase(schema, docId);
    fixNullable(copy);
    validate = description.ajv.compile(copy as object);
    description.compiled.set(key, validate);
  }
  return validate;
}

function errorsOf(validate: ValidateFunction, limit = 5): string {
  const errors = validate.errors ?? [];
  const text = errors
    .slice(0, limit)
    .map(
      (e) =>
        `${e.instancePath || "(root)"} ${e.message ?? ""}${e.keyword === "additionalProperties" ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : ""}${e.keyword === "enum" ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}` : ""}`,
    )
    .join("; ");
  return errors.length > limit ? `${text}; and ${errors.length - limit} more` : text;
}

/** The operation a request is for, or undefined when the description has none at that method and path. */
export function findOperation(method: string, path: string): Operation | undefined {
  const route = findRoute(method, path);
  return route && toOperation(route, path);
}

function findRoute(method: string, path: string): Route | undefined {
  const upper = method.toUpperCase();
  return loadRest().routes.find((r) => r.method === upper && r.pattern.test(path));
}

function toOperation(route: Route, path: string): Operation {
  const match = route.pattern.exec(path)!;
  const pathParams = Object.fromEntries(route.names.map((name, i) => [name, safeDecode(match[i + 1]!)]));
  const github = route.operation["x-github"] as { category?: string; subcategory?: string } | undefined;
  return { id: route.operation.operationId as string, method: route.method, template: route.template, pathParams, category: [github?.category, github?.subcategory].filter(Boolean).join("/") };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export interface RequestToCheck {
  method: string;
  path: string;
  query: Record<string, string>;
  headers?: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface RequestVerdict {
  /** `METHOD /template (operationId)`, or `METHOD /path (no operation)`. */
  operation: string;
  operationId?: string;
  problems: string[];
}

/**
 * Whether GitHub's description has this request: an operation at this method and path, its path
 * and query parameters (every one known, typed as described, the required ones there), and the
 * JSON body valid against the operation's request schema, where unknown fields are refused (GitHub
 * ignores a field it does not know, so a misspelt one would silently do nothing).
 */
export function checkRequest(request: RequestToCheck): RequestVerdict {
  if (request.method === "POST" && request.path === "/graphql") return checkGraphQLRequest(request.body);
  const route = findRoute(request.method, request.path);
  if (!route) {
    const other = loadRest()
      .routes.filter((r) => r.pattern.test(request.path))
      .map((r) => r.method);
    return {
      operation: `${request.method} ${request.path} (no operation)`,
      problems: [other.length > 0 ? `GitHub has no ${request.method} at this path (it has ${[...new Set(other)].join(", ")})` : "GitHub's REST description has no such path"],
    };
  }
  const description = loadRest();
  const operation = toOperation(route, request.path);
  const name = `${route.method} ${route.template} (${operation.id})`;
  const problems: string[] = [];
  const params = new Map<string, Json>();
  for (const p of [...(route.pathItem.parameters ?? []), ...(route.operation.parameters ?? [])]) {
    const parameter = deref(description.spec, p);
    params.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  for (const [key, value] of Object.entries(operation.pathParams)) {
    const parameter = params.get(`path:${key}`);
    if (parameter) problems.push(...checkParameter(parameter, value, "path"));
  }
  for (const [key, value] of Object.entries(request.query)) {
    const parameter = params.get(`query:${key}`);
    if (!parameter) {
      const known = [...params.values()].filter((p) => p.in === "query").map((p) => p.name as string);
      problems.push(`query parameter '${key}' is not one of ${name}'s (${known.join(", ") || "none"})`);
      continue;
    }
    problems.push(...checkParameter(parameter, value, "query"));
  }
  for (const parameter of params.values()) {
    if (parameter.in === "query" && parameter.required && !(parameter.name in request.query)) problems.push(`required query parameter '${parameter.name}' missing`);
  }
  const requestBody = route.operation.requestBody ? deref(description.spec, route.operation.requestBody) : undefined;
  const schema = requestBody?.content?.["application/json"]?.schema;
  if (request.body === undefined) {
    if (requestBody?.required) problems.push("the request body is required and missing");
  } else if (!schema) {
    problems.push(`${name} takes no JSON body, and one was sent`);
  } else if (typeof request.body === "string") {
    problems.push("the request body is not JSON");
  } else {
    const validate = compile(description, `request ${operation.id}`, closeObjects(schema), "rest");
    if (!validate(request.body)) problems.push(`request body: ${errorsOf(validate)}`);
  }
  return { operation: name, operationId: operation.id, problems };
}

/** `additionalProperties: false` on each inline object schema of a request that does not say otherwise. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!schema || typeof schema !== "object") return schema;
  const object = schema as Json;
  if (object.$ref) return object;
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) out[key] = key === "properties" ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, closeObjects(v)])) : closeObjects(value);
  if (out.properties && out.additionalProperties === undefined && !out.allOf && !out.anyOf && !out.oneOf) out.additionalProperties = false;
  return out;
}

function checkParameter(parameter: Json, value: string, where: string): string[] {
  const schema = parameter.schema as Json | undefined;
  if (!schema) return [];
  const problems: string[] = [];
  const label = `${where} parameter '${parameter.name}' = ${JSON.stringify(value)}`;
  if (schema.type === "integer" && !/^-?\d+$/.test(value)) problems.push(`${label} is not an integer`);
  if (schema.type === "boolean" && value !== "true" && value !== "false") problems.push(`${label} is not true or false`);
  if (Array.isArray(schema.enum) && !schema.enum.map(String).includes(value)) problems.push(`${label} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof schema.maximum === "number" && Number(value) > schema.maximum) problems.push(`${label} is over ${schema.maximum}`);
  if (typeof schema.minimum === "number" && Number(value) < schema.minimum) problems.push(`${label} is under ${schema.minimum}`);
  return problems;
}

function responseOf(operation: Operation, status: number): { declared: boolean; schema?: unknown; example?: unknown } {
  const description = loadRest();
  const route = description.routes.find((r) => r.operation.operationId === operation.id)!;
  const responses = route.operation.responses as Json;
  const declared = responses[String(status)] ?? (ANY_OPERATION_STATUSES.has(status) ? description.spec.components.responses.forbidden : undefined);
  if (!declared) return { declared: false };
  const response = deref(description.spec, declared);
  const content = response.content?.["application/json"];
  if (!content) return { declared: true };
  const named = content.examples ? Object.values(content.examples as Json)[0] : undefined;
  const example = named ? deref(description.spec, named as Json).value : content.example;
  const correction = EXAMPLE_CORRECTIONS[operation.id];
  return { declared: true, schema: content.schema, example: example !== undefined && correction && status < 300 ? overlay(example, correction) : example };
}

/**
 * Where the description's own example breaks its schema (found by validating the completed
 * answers): the smallest change that makes it valid, applied before a test's fields are laid over.
 */
const EXAMPLE_CORRECTIONS: Record<string, unknown> = {
  // The example's requested team has no `type`, which the team schema requires.
  "pulls/get": { requested_teams: [] },
  "pulls/list": [{ requested_teams: [] }],
  "repos/list-pull-requests-associated-with-commit": [{ requested_teams: [] }],
  // The example issue carries `pull_request`, which GitHub sets only on pull requests: an issue the
  // test declares would be read as a pull request.
  "issues/list-for-repo": [{ pull_request: undefined }],
  "issues/get": { pull_request: undefined },
  "pulls/create": { requested_teams: [] },
  "pulls/update": { requested_teams: [] },
  // The example's collaborator has no `role_name`, which the collaborator schema requires.
  "repos/get-collaborator-permission-level": { user: { role_name: "admin" } },
};

/**
 * Whether GitHub answers `operation` with this status and body: the status is one the description
 * lists for it (or one any operation can get: 401, 403, 429, 5xx), and a JSON body is valid against
 * the schema for that status.
 */
export function checkResponse(operation: Operation, status: number, body: unknown): string[] {
  if (status === 304) return [];
  const response = responseOf(operation, status);
  if (!response.declared) return [`GitHub does not answer ${operation.id} with ${status}`];
  if (!response.schema) return body === undefined ? [] : [`GitHub answers ${operation.id} ${status} without a JSON body`];
  if (body === undefined) return [`GitHub's ${status} answer to ${operation.id} has a JSON body; the stand-in sent none`];
  const validate = compile(loadRest(), `response ${operation.id} ${status}`, response.schema, "rest");
  return validate(body) ? [] : [`response ${status}: ${errorsOf(validate)}`];
}

/**
 * The body for a declared answer: the description's example for that status with what the test
 * gave laid over it (objects merged key by key, arrays item by item over the example's first
 * item), so a test names only the fields it is about and the rest is as GitHub shows it.
 */
export function completeResponse(operation: Operation, status: number, given: unknown): unknown {
  const { example: documented, schema } = responseOf(operation, status);
  // GitHub's error bodies (basic-error, validation-error) carry no example in the description.
  const example = documented ?? (status >= 400 && schema !== undefined ? { message: `status ${status}`, documentation_url: "https://docs.github.com/rest" } : undefined);
  if (example === undefined) return given;
  if (given === undefined) return structuredClone(example);
  return overlay(example, given);
}

function overlay(base: unknown, given: unknown): unknown {
  if (Array.isArray(given)) {
    const item = Array.isArray(base) ? base[0] : undefined;
    return given.map((g) => (item !== undefined ? overlay(item, g) : g));
  }
  if (isPlainObject(given) && isPlainObject(base)) {
    const out: Json = structuredClone(base);
    for (const [key, value] of Object.entries(given)) {
      if (value === undefined)
        delete out[key]; // a correction drops a field the example should not carry
      else out[key] = key in base ? overlay(base[key], value) : value;
    }
    return out;
  }
  return given;
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The status GitHub's description gives for an operation's success (the lowest 2xx or 3xx). */
export function successStatus(operation: Operation): number {
  const route = loadRest().routes.find((r) => r.operation.operationId === operation.id)!;
  return Math.min(
    ...Object.keys(route.operation.responses as Json)
      .map(Number)
      .filter((s) => s >= 200 && s < 400),
  );
}

// ---- webhooks ----

/** The description's key of an event and action, e.g. `pull-request-opened`, `push`. */
function webhookKey(event: string, action: string | undefined): string {
  const base = event.replaceAll("_", "-");
  return action ? `${base}-${action.replaceAll("_", "-")}` : base;
}

/** Whether GitHub's webhook description has this event (and action). */
export function knowsWebhook(event: string, action?: string): boolean {
  const hooks = loadWebhooks().spec.webhooks as Json;
  if (action !== undefined) return Boolean(hooks[webhookKey(event, action)] ?? hooks[webhookKey(event, undefined)]);
  const base = webhookKey(event, undefined);
  return Object.keys(hooks).some((key) => key === base || key.startsWith(`${base}-`));
}

/**
 * Problems of a webhook payload against GitHub's webhook description for its event and action
 * (`payload.action`); an event GitHub does not send as a webhook (`schedule`) has no description,
 * and is said to be unchecked by the caller, not here.
 */
export function checkWebhook(event: string, payload: unknown): string[] {
  const description = loadWebhooks();
  const action = isPlainObject(payload) && typeof payload.action === "string" ? payload.action : undefined;
  const hooks = description.spec.webhooks as Json;
  const key = hooks[webhookKey(event, action)] ? webhookKey(event, action) : webhookKey(event, undefined);
  const hook = hooks[key];
  if (!hook) return [`GitHub sends no '${event}${action ? `.${action}` : ""}' webhook`];
  const schema = hook.post.requestBody.content["application/json"].schema;
  const validate = compile(description, key, schema, "webhooks");
  return validate(payload) ? [] : [`${key} payload: ${errorsOf(validate, 8)}`];
}

/**
 * The payload with every property GitHub's description requires and the payload lacks added, with
 * a neutral value (null where allowed, else the first enum value, "", 0, false, [], or an object
 * built the same way). The webhook examples the tests start from predate fields GitHub now always
 * sends (`auto_merge`, `has_discussions`, `reactions` ...); what a test sets is never changed.
 */
export function completeWebhook<T>(event: string, payload: T): T {
  const description = loadWebhooks();
  const action = isPlainObject(payload) && typeof payload.action === "string" ? payload.action : undefined;
  const hooks = description.spec.webhooks as Json;
  const hook = hooks[webhookKey(event, action)] ?? hooks[webhookKey(event, undefined)];
  if (!hook) return payload;
  fill(description.spec, hook.post.requestBody.content["application/json"].schema, payload, 0);
  return payload;
}

function fill(spec: Json, schemaNode: Json, value: unknown, depth: number): void {
  const schema = deref(spec, schemaNode);
  if (!schema || depth > 12) return;
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) fill(spec, schema.items, item, depth + 1);
    return;
  }
  if (!isPlainObject(value)) return;
  const firstNotNull = (list: Json[] | undefined) => (list ?? []).filter((b) => deref(spec, b)?.type !== "null").slice(0, 1);
  const branches = [...(schema.allOf ?? []), ...firstNotNull(schema.anyOf), ...firstNotNull(schema.oneOf)];
  for (const branch of branches) fill(spec, branch, value, depth + 1);
  const properties = (schema.properties ?? {}) as Json;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value) && properties[name]) value[name] = neutral(spec, properties[name], depth + 1);
  }
  for (const [name, child] of Object.entries(value)) if (properties[name]) fill(spec, properties[name], child, depth + 1);
}

function neutral(spec: Json, schemaNode: Json, depth: number): unknown {
  const schema = deref(spec, schemaNode);
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if (schema.nullable || types.includes("null") || (schema.anyOf ?? schema.oneOf ?? []).some((b: Json) => deref(spec, b)?.type === "null")) return null;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const branch = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
  if (!schema.type && branch) return neutral(spec, branch, depth + 1);
  if (types.includes("object") || schema.properties) {
    const out: Json = {};
    fill(spec, schema, out, depth + 1);
    return out;
  }
  if (types.includes("array")) return [];
  if (types.includes("integer") || types.includes("number")) return 0;
  if (types.includes("boolean")) return false;
  if (schema.format === "uri") return "https://github.com/";
  if (schema.format === "date-time") return "2026-01-01T00:00:00Z";
  return "";
}

/** Throws naming the event and the schema errors when the payload is not one GitHub sends. */
export function assertWebhook(event: string, payload: unknown): void {
  const problems = checkWebhook(event, payload);
  if (problems.length > 0) throw new Error(`webhook payload outside GitHub's description:\n  ${problems.join("\n  ")}`);
}

// ---- GraphQL ----

let graphqlValidate: ((query: string) => readonly { message: string }[]) | undefined;

/** Loads `@octokit/graphql-schema`'s validator (GitHub's published schema) once. */
export async function loadGraphQL(): Promise<void> {
  if (graphqlValidate) return;
  const module = (await import("@octokit/graphql-schema")) as { validate(query: string): readonly { message: string }[] };
  graphqlValidate = module.validate;
}

function checkGraphQLRequest(body: unknown): RequestVerdict {
  const operation = "POST /graphql (graphql)";
  const query = isPlainObject(body) ? body.query : undefined;
  if (typeof query !== "string") return { operation, problems: ["a GraphQL request without a query"] };
  if (!graphqlValidate) return { operation, problems: ["the GraphQL schema was not loaded (call loadGraphQL() first)"] };
  return { operation, operationId: "graphql", problems: graphqlValidate(query).map((e) => `query: ${e.message}`) };
}
