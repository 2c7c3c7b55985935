/**
 * The model files a dbt error names. dbt stops at the first error and names the node in one of two
 * shapes: `... in model d_user (transform/gold/d_user.sql)` for a rendering error, and
 * `Model 'model.proj.d_user' (transform/gold/d_user.sql) depends on a node named 'x' which was not
 * found` (or `which is disabled`) for a missing dependency.
 */
export function dbtErrorCulprits(message: string): { file: string; missing: string | null }[] {
  const found: { file: string; missing: string | null }[] = [];
  const seen = new Set<string>();
  const dependency = /Model '[^']*' \(([^()\n]+?\.(?:sql|py))\) depends on a (?:node|source) named '([^']+)'/gi;
  for (const match of message.matchAll(dependency)) {
    if (match[1] && !seen.has(match[1])) {
      seen.add(match[1]);
      found.push({ file: match[1], missing: match[2] ?? null });
    }
  }
  const rendering = /\bin (?:model|macro|snapshot|test|analysis|seed) [^\s()]+ \(([^()\n]+?\.(?:sql|py))\)/gi;
  for (const match of message.matchAll(rendering)) {
    if (match[1] && !seen.has(match[1])) {
      seen.add(match[1]);
      found.push({ file: match[1], missing: null });
    }
  }
  return found;
}

/** The error text of a failed dbt invocation: the `MainEncounteredError` and error-level events. */
export function dbtErrorText(events: readonly { name: string; level: string; msg: string; data: Record<string, unknown> }[]): string {
  const parts: string[] = [];
  for (const event of events) {
    if (event.name === "MainEncounteredError" && typeof event.data.exc === "string") parts.push(event.data.exc);
    else if (event.level === "error" && event.msg) parts.push(event.msg);
  }
  return [...new Set(parts)].join("\n");
}
