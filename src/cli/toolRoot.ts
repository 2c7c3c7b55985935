import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder the tool is installed in, where `npm run setup` puts .venv: the nearest parent of this
 * file holding dbt-unskip's package.json (dist/cli.js when bundled, src/cli/ in development).
 */
export function toolRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "dbt-unskip") return dir;
      } catch {
        /* not ours */
      }
    }
    dir = dirname(dir);
  }
  return undefined;
}
