import { type Dirent, readdirSync } from "node:fs";
import { join } from "node:path";

/** Every `.yml`/`.yaml` file below `dir` (node_modules left out): the YAML tiers' real inputs. */
export function yamlFilesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name) && !e.parentPath.includes("node_modules"))
    .map((e) => join(e.parentPath, e.name));
}
