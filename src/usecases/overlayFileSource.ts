import type { FileContent } from "../core/project/projectSnapshot.js";
import type { FileSource } from "./fileSource.js";

/**
 * A FileSource that shows extra files on top of another, without writing them: readiness can be
 * computed "as if" a seed or source had been added, before anything touches the disk.
 */
export function overlayFileSource(base: FileSource, added: ReadonlyMap<string, string>): FileSource {
  return {
    async list(dir) {
      const prefix = dir === "" || dir === "." ? "" : `${dir.replace(/\/+$/, "")}/`;
      const listed = new Set(await base.list(dir));
      for (const path of added.keys()) if (path.startsWith(prefix)) listed.add(path);
      return [...listed].sort();
    },
    // Globs only find projects (dbt_project.yml), which an overlay never adds.
    glob: (patterns) => base.glob(patterns),
    async read(path): Promise<FileContent | null> {
      const text = added.get(path);
      return text === undefined ? base.read(path) : { kind: "text", text };
    },
  };
}
