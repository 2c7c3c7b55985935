/** The one dashboard issue the tool keeps per repository (found by label, marker and author). */
export interface DashboardIssue {
  number: number;
  title: string;
  body: string;
  url: string;
  open: boolean;
}

export interface DashboardIssueResult {
  /** `forbidden`: the token may not write issues (reported, not fatal). */
  action: "created" | "updated" | "unchanged" | "forbidden";
  number: number | null;
  url: string | null;
  message?: string;
}

export interface DashboardIssuePort {
  /** The tool's dashboard issue, or null when there is none yet. */
  find(): Promise<DashboardIssue | null>;
  /** Creates the dashboard once; afterwards edits it only when title or body differ. */
  upsert(input: { title?: string; body: string }): Promise<DashboardIssueResult>;
  /** Writes a body as it is (for example after clearing ticked boxes). */
  update(number: number, body: string): Promise<void>;
}
