import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execDbtLines } from "./wrapperExec.js";

/**
 * Writes `folder/dbt`: a wrapper around `dbt` that, on `dbt parse`, appends a `ref('f_daily_sales')`
 * to `transform/gold/d_user.sql` of the project it parses (verify's copy, where paused d_user is restored). dbt then sees a ref the static engine
 * cannot: a planted disagreement for `verify` to catch. Returns the wrapper's path.
 */
export async function plantedRefDbt(folder: string, dbt: string): Promise<string> {
  const wrapper = join(folder, "dbt");
  await writeFile(
    wrapper,
    [
      "#!/bin/sh",
      'if [ "$1" = parse ]; then',
      '  dir=""; prev=""',
      '  for a in "$@"; do [ "$prev" = "--project-dir" ] && dir="$a"; prev="$a"; done',
      `  printf '\\n-- planted: {{ ref("f_daily_sales") }}\\n' >> "$dir/transform/gold/d_user.sql"`,
      "fi",
      // dbt itself, through the suite's shared fork server when there is one (wrapperExec.ts).
      await execDbtLines(dbt),
      "",
    ].join("\n"),
  );
  await chmod(wrapper, 0o755);
  return wrapper;
}
