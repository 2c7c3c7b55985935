import { isPlainName } from "../plainName.js";
import { shellQuote } from "../render/shellQuote.js";

/**
 * The `dbt build --select` argument that runs and tests exactly the models a restore brought back,
 * by name: `tag:<dimension>` would select nothing when the dimension comes from a path glob or a
 * state document (no model carries the tag), and would miss the models brought along from another
 * dimension. A name that is not a plain word is quoted for a POSIX shell.
 */
export function restoredSelection(restored: readonly { name: string }[]): string {
  return restored.map((m) => (isPlainName(m.name) ? m.name : shellQuote(m.name))).join(" ");
}
