import { describe, expect, it } from "vitest";
import { checkRequest, checkResponse, checkWebhook, completeResponse, findOperation, loadGraphQL } from "../helpers/githubContract.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";

// The validator bites: each way a stand-in could drift from GitHub is caught, naming the operation
// and the schema error. These are the checks every stand-in request and answer goes through.

const COMMENTS = "/repos/acme/warehouse/issues/7/comments";
const create = (body: unknown) => checkRequest({ method: "POST", path: COMMENTS, query: {}, body });

describe("GitHub's REST description holds the stand-in's requests", () => {
  it("a valid request matches its operation with no problem", () => {
    expect(create({ body: "hello" })).toEqual({
      operation: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments (issues/create-comment)",
      operationId: "issues/create-comment",
      problems: [],
    });
  });

  it("a misspelt body field fails, naming the field", () => {
    const verdict = create({ body: "hello", bdoy: "x" });
    expect(verdict.problems).toEqual(["request body: (root) must NOT have additional properties 'bdoy'"]);
    expect(verdict.operation).toContain("issues/create-comment");
  });

  it("a required body field missing, or of the wrong type, fails", () => {
    expect(create({ bdy: "hello" }).problems[0]).toMatch(/must have required property 'body'/);
    expect(create({ body: 42 }).problems[0]).toMatch(/\/body must be string/);
  });

  it("a wrong method fails, saying which methods the path has", () => {
    expect(checkRequest({ method: "PUT", path: COMMENTS, query: {}, body: { body: "x" } }).problems).toEqual(["GitHub has no PUT at this path (it has GET, POST)"]);
  });

  it("an unknown path fails", () => {
    expect(checkRequest({ method: "GET", path: "/repos/acme/warehouse/isues/7/comments", query: {}, body: undefined }).problems).toEqual(["GitHub's REST description has no such path"]);
  });

  it("a misspelt or mistyped query parameter fails", () => {
    const list = (query: Record<string, string>) => checkRequest({ method: "GET", path: COMMENTS, query, body: undefined }).problems;
    expect(list({ per_page: "100", page: "1" })).toEqual([]);
    expect(list({ per_pge: "100" })[0]).toMatch(/^query parameter 'per_pge' is not one of .*issues\/list-comments/);
    expect(list({ per_page: "many" })).toEqual([`query parameter 'per_page' = "many" is not an integer`]);
  });

  it("a path parameter of the wrong type fails", () => {
    expect(checkRequest({ method: "GET", path: "/repos/acme/warehouse/issues/seven/comments", query: {}, body: undefined }).problems).toEqual([`path parameter 'issue_number' = "seven" is not an integer`]);
  });

  it("a body sent to an operation that takes none, or none where one is required, fails", () => {
    expect(checkRequest({ method: "GET", path: COMMENTS, query: {}, body: { body: "x" } }).problems[0]).toMatch(/takes no JSON body/);
    expect(create(undefined).problems).toEqual(["the request body is required and missing"]);
  });
});

describe("GitHub's REST description holds the stand-in's answers", () => {
  const operation = () => findOperation("POST", COMMENTS)!;

  it("an answer missing a required field fails, naming it", () => {
    const problems = checkResponse(operation(), 201, { id: 5, body: "x" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^response 201: .*must have required property 'node_id'/);
  });

  it("a field of the wrong type fails even when the rest comes from the description's example", () => {
    expect(checkResponse(operation(), 201, completeResponse(operation(), 201, { id: "5" }))).toEqual(["response 201: /id must be integer"]);
    expect(checkResponse(operation(), 201, completeResponse(operation(), 201, { id: 5 }))).toEqual([]);
  });

  it("a status GitHub never gives for the operation fails; the ones any call can get pass", () => {
    expect(checkResponse(operation(), 409, { message: "x", documentation_url: "d" })).toEqual(["GitHub does not answer issues/create-comment with 409"]);
    for (const status of [401, 403, 429, 502, 503]) expect(checkResponse(operation(), status, { message: "x", documentation_url: "d" })).toEqual([]);
  });

  it("GitHub's 422 body for an existing pull request validates; one without documentation_url does not", () => {
    const pulls = findOperation("POST", "/repos/acme/warehouse/pulls")!;
    const body = {
      message: "Validation Failed",
      errors: [{ resource: "PullRequest", code: "custom", message: "A pull request already exists for acme:migrate/dim_user." }],
      documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
      status: "422",
    };
    expect(checkResponse(pulls, 422, body)).toEqual([]);
    expect(checkResponse(pulls, 422, { message: "Validation Failed" })).toEqual(["response 422: (root) must have required property 'documentation_url'"]);
  });
});

describe("webhooks and GraphQL", () => {
  it("a payload missing what GitHub always sends fails, naming the event and action", () => {
    const problems = checkWebhook("pull_request", { action: "opened", number: 1 });
    expect(problems[0]).toMatch(/^pull-request-opened payload: .*must have required property 'pull_request'/);
    expect(checkWebhook("pull_request", { action: "frobnicated" })).toEqual(["GitHub sends no 'pull_request.frobnicated' webhook"]);
  });

  it("a GraphQL query with a misspelt field fails against GitHub's schema", async () => {
    await loadGraphQL();
    expect(checkRequest({ method: "POST", path: "/graphql", query: {}, body: { query: "query { viewer { login } }" } }).problems).toEqual([]);
    expect(checkRequest({ method: "POST", path: "/graphql", query: {}, body: { query: "query { viewer { logn } }" } }).problems).toEqual(['query: Cannot query field "logn" on type "User". Did you mean "login"?']);
  });
});

describe("the stand-in fails the test on a breach", () => {
  it("a request outside the description and an answer outside it are both named by assertDone", async () => {
    const gh = await startGitHubStandIn();
    try {
      gh.expect({ method: "POST", path: COMMENTS, status: 201, response: { id: 1 }, exact: true });
      const response = await fetch(`${gh.url}${COMMENTS}`, { method: "POST", body: JSON.stringify({ body: "x", titel: "y" }), headers: { "content-type": "application/json" } });
      expect(response.status).toBe(201);
      expect(() => gh.assertDone()).toThrow(
        /request POST \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments \(issues\/create-comment\): request body: \(root\) must NOT have additional properties 'titel'[\s\S]*answer to POST .*\(issues\/create-comment\): response 201: .*required property 'node_id'/,
      );
      // An answer declared off the contract, with its reason, is sent as given and not held against the test.
      gh.expect({ method: "GET", path: COMMENTS, offContract: "a proxy's HTML error page", rawBody: "<html>oops</html>" });
      expect(await (await fetch(`${gh.url}${COMMENTS}`)).text()).toBe("<html>oops</html>");
      gh.assertDone();
    } finally {
      await gh.close();
    }
  });
});
