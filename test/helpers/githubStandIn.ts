import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isDeepStrictEqual } from "node:util";

/**
 * GitHub at the HTTP layer: a real server on 127.0.0.1 (random port) that answers only the requests
 * a test declared, in order, and records every request. The same server serves in-process Octokit
 * clients (as their base URL) and the bundled Action run as a child process.
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
}

export interface GitHubStandIn {
  url: string;
  /** Declares the next answers; matched against requests in declaration order. */
  expect(...expectations: Expectation[]): GitHubStandIn;
  /** Every request received, in order (matched or not). */
  readonly requests: RecordedRequest[];
  /** Requests no expectation answered. */
  readonly unexpected: RecordedRequest[];
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

  const server: Server = createServer(async (req, res) => {
    const recorded = await record(req);
    requests.push(recorded);
    const entry = queue.find((e) => e.left > 0 && matches(e.expectation, recorded));
    if (!entry) {
      unexpected.push(recorded);
      // 404 is never retried, so an unexpected request shows up once, not once per retry.
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `stand-in: no expectation for ${recorded.method} ${recorded.path}` }));
      return;
    }
    entry.left--;
    const { status = 200, response, headers = {} } = entry.expectation;
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(response === undefined ? "" : JSON.stringify(response));
  });
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
    pending: () => queue.filter((e) => e.left > 0).map((e) => e.expectation),
    assertDone() {
      const pending = standIn.pending();
      const surprises = unexpected.splice(0);
      queue.splice(0);
      const problems = [
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
  return typeof expectation.body === "function"
    ? (expectation.body as (body: unknown) => boolean)(request.body)
    : isDeepStrictEqual(expectation.body, request.body);
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown = undefined;
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
