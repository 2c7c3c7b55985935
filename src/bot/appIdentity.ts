import type { Probot } from "probot";

/**
 * The login the app writes as (`<slug>[bot]`), asked of GitHub once per process with the app's own
 * key (`GET /app`): the sticky comment, the merge comment and the dashboard are found by it, so a
 * person's comment or issue that quotes a marker is never taken for the tool's. A failed lookup is
 * asked again next time rather than remembered.
 */
export function appIdentity(app: Probot): () => Promise<string> {
  let login: Promise<string> | null = null;
  return () =>
    (login ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.request("GET /app");
      const slug = (data as { slug?: unknown } | null)?.slug;
      if (typeof slug !== "string" || slug === "") throw new Error("GitHub's GET /app answer has no slug");
      return `${slug}[bot]`;
    })().catch((error: unknown) => {
      login = null;
      throw error;
    }));
}
