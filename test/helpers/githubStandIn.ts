import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isDeepStrictEqual } from "node:util";
import { checkRequest, checkResponse, completeResponse, findOperation, loadGraphQL } from "./githubContract.js";

/**
 * GitHub at the HTTP layer: a real server on 127.0.0.1 (random port) that answers only the requests
 * a test declared, in order, and records every request. The same server serves in-process Octokit
 * clients (as their base URL) and the bundled Action run as a child process.
 *
 * It holds both sides to GitHub's published description (`githubContract.ts`): every request must be
 * an operation GitHub has (method, path, parameters, JSON body), and every answer a test declares is
 * completed from the description's example for that status and must then validate against the
 * operation's response schema. What breaks the contract is a problem that `assertDone` throws,
 * naming the operation and the schema error. A test that answers outside the contract on purpose
 * (a body that is not JSON, a field missing) says why in `offContract`.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
}

export interface Expectation {
  method: string;
  path: string;
  /** Exact query parameters (all of them) when given. */
  query?: Record<string, string>;
  /** Deep-equal to this value, or a predicate over the parsed body. */
  body?: unknown | ((body: unknown) => boolean);
  status?: number;
  response?: unknown;
  headers?: Record<string, string>;
  /** How many requests this answers (default 1). */
  times?: number;
  /** Send `response` as given, not completed from the description's example (it is still validated). */
  exact?: boolean;
  /**
   * Why this answer is not one GitHub would give (a 200 whose body is not JSON, a missing field):
   * sent exactly as given and not validated. The request is still checked.
   */
  offContract?: string;
  /** The body as raw text (only with `offContract`). */
  rawBody?: string;
  /** Never answers (a stalled API): called when the request has arrived; the connection stays open until `close`. */
  hold?: () => void;
}

export interface GitHubStandIn {
  url: string;
  /** Declares the next answers; matched against requests in declaration order. */
  expect(...expectations: Expectation[]): GitHubStandIn;
  /** Every request received, in order (matched or not). */
  readonly requests: RecordedRequest[];
  /** Requests no expectation answered. */
  readonly unexpected: RecordedRequest[];
  /** Requests or answers outside GitHub's description, each naming the operation and the error. */
  readonly contractProblems: string[];
  /** The operations (GitHub's operationIds) the requests were matched to, with their counts. */
  readonly operations: Map<string, number>;
  /** Expectations with answers left. */
  pending(): Expectation[];
  /** Throws when an expectation is still pending or an unexpected request came in; then forgets them. */
  assertDone(): void;
  close(): Promise<void>;
}

export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  const queue: { expectation: Expectation; left: number }[] = [];
  const requests: RecordedRequest[] = [];
  const unexpected: RecordedRequest[] = [];
  const contractProblems: string[] = [];
  const operations = new Map<string, number>();
  await loadGraphQL();

  const server: Server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      // A fault in the stand-in itself must fail the test, never leave the client waiting.
      contractProblems.push(`stand-in fault: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "stand-in fault" }));
    });
  });
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const recorded = await record(req);
    requests.push(recorded);
    const verdict = checkRequest(recorded);
    if (verdict.operationId) operations.set(verdict.operationId, (operations.get(verdict.operationId) ?? 0) + 1);
    for (const problem of verdict.problems) contractProblems.push(`request ${verdict.operation}: ${problem}`);
    const entry = queue.find((e) => e.left > 0 && matches(e.expectation, recorded));
    if (!entry) {
      unexpected.push(recorded);
      // 404 is never retried, so an unexpected request shows up once, not once per retry.
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `stand-in: no expectation for ${recorded.method} ${recorded.path}` }));
      return;
    }
    entry.left--;
    if (entry.expectation.hold) {
      entry.expectation.hold();
      return;
    }
    const { status = 200, response, headers = {}, offContract, exact, rawBody } = entry.expectation;
    let body = response;
    const operation = recorded.path === "/graphql" ? undefined : findOperation(recorded.method, recorded.path);
    if (operation && !offContract) {
      if (!exact) body = completeResponse(operation, status, response);
      for (const problem of checkResponse(operation, status, body)) contractProblems.push(`answer to ${verdict.operation}: ${problem}`);
    }
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(rawBody !== undefined ? rawBody : body === undefined ? "" : JSON.stringify(body));
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const standIn: GitHubStandIn = {
    url: `http://127.0.0.1:${port}`,
    expect(...expectations) {
      for (const expectation of expectations) queue.push({ expectation, left: expectation.times ?? 1 });
      return standIn;
    },
    requests,
    unexpected,
    contractProblems,
    operations,
    pending: () => queue.filter((e) => e.left > 0).map((e) => e.expectation),
    assertDone() {
      const pending = standIn.pending();
      const surprises = unexpected.splice(0);
      const breaches = contractProblems.splice(0);
      queue.splice(0);
      const problems = [
        ...breaches.map((p) => `outside GitHub's description: ${p}`),
        ...pending.map((e) => `pending: ${e.method} ${e.path}`),
        ...surprises.map((r) => `unexpected: ${r.method} ${r.path}${queryText(r.query)} ${JSON.stringify(r.body) ?? ""}`),
      ];
      if (problems.length > 0) throw new Error(`GitHub stand-in:\n  ${problems.join("\n  ")}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return standIn;
}

/** `method path` of each request, for compact assertions on what was called. */
export function callList(requests: readonly RecordedRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.path}${queryText(r.query)}`);
}

function matches(expectation: Expectation, request: RecordedRequest): boolean {
  if (expectation.method.toUpperCase() !== request.method || expectation.path !== request.path) return false;
  if (expectation.query && !isDeepStrictEqual(expectation.query, request.query)) return false;
  if (expectation.body === undefined) return true;
  return typeof expectation.body === "function" ? (expectation.body as (body: unknown) => boolean)(request.body) : isDeepStrictEqual(expectation.body, request.body);
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const url = new URL(req.url ?? "/", "http://stand-in");
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body,
  };
}

function queryText(query: Record<string, string>): string {
  const text = new URLSearchParams(query).toString();
  return text ? `?${text}` : "";
}
