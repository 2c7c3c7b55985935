import fg from "fast-glob";
import { UserError } from "../core/userError.js";
import type { FileSource } from "./fileSource.js";

/** Expands configured project folders (plain or globs) to folders that hold a dbt_project.yml. */
export async function resolveProjectDirs(files: FileSource, entries: string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const raw of entries) {
    const entry = raw.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "") || ".";
    if (entry.split("/").includes("..") || entry.startsWith("/")) {
      throw new UserError(`project-dir '${raw}': must be a folder inside the repository`);
    }
    if (fg.isDynamicPattern(entry)) {
      const found = await files.glob([`${entry}/dbt_project.yml`]);
      if (found.length === 0) throw new UserError(`project-dir '${raw}': no dbt_project.yml matches this pattern`);
      dirs.push(...found.map((p) => p.slice(0, -"/dbt_project.yml".length)));
    } else {
      dirs.push(entry === "." ? "" : entry);
    }
  }
  return [...new Set(dirs)];
}
