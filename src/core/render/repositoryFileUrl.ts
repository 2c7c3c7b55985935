/** A web link to a file of the repository at one commit (the Action and the bot link alike). */
export function repositoryFileUrl(repositoryUrl: string, commit: string): (path: string) => string {
  return (path) => `${repositoryUrl.replace(/\/+$/, "")}/blob/${commit}/${path.split("/").map(encodeURIComponent).join("/")}`;
}
