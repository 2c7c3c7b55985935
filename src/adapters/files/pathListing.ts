import { boundedGlobs } from "../../core/config/boundedPattern.js";
import type { FileSource } from "../../usecases/fileSource.js";

/** `list` and `glob` over a repository's paths known up front (a commit's tree, an archive's members). */
export function pathListing(paths: Iterable<string>): Pick<FileSource, "list" | "glob"> {
  const sorted = [...paths].sort();
  return {
    async list(dir) {
      const prefix = dir === "" || dir === "." ? "" : `${dir.replace(/\/+$/, "")}/`;
      return sorted.filter((p) => p.startsWith(prefix));
    },
    async glob(patterns) {
      const match = boundedGlobs(patterns, { dot: false });
      return sorted.filter((p) => match.test(p));
    },
  };
}
