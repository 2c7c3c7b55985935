/** A web link to a file of the repository at one commit (the Action and the bot link alike). */
export function repositoryFileUrl(repositoryUrl: string, commit: string): (path: string) => string {
  return (path) => `${repositoryUrl.replace(/\/+$/, "")}/blob/${commit}/${path.split("/").map(encodeURIComponent).join("/")}`;
}

/** A link that finds the dashboard issue (labelled `dbt-unskip`, titled "…migration dashboard") without knowing its number. */
export function dashboardSearchUrl(repositoryUrl: string): string {
  return `${repositoryUrl.replace(/\/+$/, "")}/issues?q=${encodeURIComponent('is:issue is:open label:dbt-unskip "migration dashboard"')}`;
}
