import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { openTarballFileSource, type TarballFileSource, type TarballLimits } from "../adapters/github/tarballFileSource.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { loadConfig } from "../usecases/loadConfig.js";

/** A repository at one ref, read as one archive, with the configuration it holds. */
export async function readRepository(input: { octokit: GitHubClient; owner: string; repo: string; ref: string; limits: TarballLimits }): Promise<{ files: TarballFileSource; config: UnskipConfig }> {
  const files = await openTarballFileSource(input);
  return { files, config: await loadConfig(files) };
}
