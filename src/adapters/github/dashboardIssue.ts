import { DASHBOARD_MARKER } from "../../core/render/renderDashboard.js";
import type { DashboardIssue, DashboardIssuePort } from "../../usecases/dashboardIssuePort.js";
import type { GitHubClient } from "./createOctokit.js";
import { GitHubApiError } from "./gitHubApiError.js";

export const DASHBOARD_LABEL = "dbt-unskip";
export const DASHBOARD_TITLE = "dbt-unskip: migration dashboard";

export interface DashboardIssueOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** The login the token writes as (`<app-slug>[bot]`, `github-actions[bot]`, ...), or how to learn it once. */
  identity: string | (() => Promise<string>);
  label?: string;
  marker?: string;
  log?: { info(message: string): void };
}

interface IssueLike {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  state?: string;
  pull_request?: unknown;
  user?: { login?: string } | null;
}

/**
 * The one dashboard issue of a repository, for the Action and the bot alike. It is found by its
 * label (which narrows the listing to a page or two), its hidden marker and the tool's own
 * authorship, so a person's issue that quotes the marker is never edited. A dashboard that a person
 * closed is still ours: it is kept up to date but not reopened, and no second one is created.
 */
export function createDashboardIssue(options: DashboardIssueOptions): DashboardIssuePort {
  const { octokit, owner, repo } = options;
  const label = options.label ?? DASHBOARD_LABEL;
  const marker = options.marker ?? DASHBOARD_MARKER;
  let identity: Promise<string> | undefined;
  const me = () => (identity ??= typeof options.identity === "string" ? Promise.resolve(options.identity) : options.identity());

  const find = async (): Promise<DashboardIssue | null> => {
    const issues = (await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: label,
      state: "all",
      sort: "created",
      direction: "asc",
      per_page: 100,
    })) as IssueLike[];
    const login = (await me()).toLowerCase();
    const mine = issues.filter((issue) => issue.pull_request === undefined && (issue.body ?? "").includes(marker) && issue.user?.login?.toLowerCase() === login);
    // Oldest first; an open one wins over one a person closed.
    const chosen = mine.find((issue) => issue.state !== "closed") ?? mine[0];
    if (!chosen) return null;
    return { number: chosen.number, title: chosen.title, body: chosen.body ?? "", url: chosen.html_url, open: chosen.state !== "closed" };
  };

  return {
    find,
    async upsert({ title = DASHBOARD_TITLE, body }) {
      try {
        const existing = await find();
        if (existing) {
          if (normalize(existing.body) === normalize(body) && existing.title === title) {
            return { action: "unchanged", number: existing.number, url: existing.url };
          }
          await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, title, body });
          return { action: "updated", number: existing.number, url: existing.url };
        }
        const { data } = await octokit.rest.issues.create({ owner, repo, title, body, labels: [label] });
        options.log?.info(`created the dashboard issue #${data.number}`);
        return { action: "created", number: data.number, url: data.html_url };
      } catch (error) {
        if (error instanceof GitHubApiError && error.status === 403 && !error.rateLimited) {
          return { action: "forbidden", number: null, url: null, message: error.message };
        }
        throw error;
      }
    },
    async update(number, body) {
      await octokit.rest.issues.update({ owner, repo, issue_number: number, body });
    },
  };
}

/** GitHub may hand a body back with CRLF line ends; that is not a change worth an edit. */
function normalize(text: string): string {
  return text.replace(/\r\n/g, "\n").trimEnd();
}
