import { RE2JS } from "re2js";

/**
 * Every pattern a user configures (the dimension tag pattern, dimension path globs, project-dir
 * and state-document globs) runs on RE2's linear-time engine (`re2js`, pure JavaScript): matching
 * takes time proportional to the input whatever the pattern, so `^(a+)+$` or `**\/a*a*a*a*a*b`
 * cannot stall a run. What RE2 cannot run in bounded time (back-references, look-arounds) and
 * glob syntax outside the plain set (`*`, `**`, `?`, `[...]`, `{a,b}`) is refused by validation,
 * with the file and key named by the caller.
 */
export interface BoundedPattern {
  test(text: string): boolean;
}

export type Compiled = { pattern: BoundedPattern } | { error: string };

/** A regular expression as JavaScript's `RegExp(source).test` reads it (unanchored search). */
export function compileRegex(source: string): Compiled {
  try {
    const re = RE2JS.compile(source);
    return { pattern: { test: (text) => re.matcher(text).find() } };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
    try {
      new RegExp(source);
    } catch {
      return { error: `expected a regular expression (${detail})` };
    }
    return { error: `uses syntax that cannot run in bounded time (${detail}); back-references and look-arounds are not supported` };
  }
}

/** Like compileRegex, for patterns already validated (a bad one throws). */
export function boundedRegex(source: string): BoundedPattern {
  const compiled = compileRegex(source);
  if ("error" in compiled) throw new Error(`pattern '${source}': ${compiled.error}`);
  return compiled.pattern;
}

const MAX_ALTERNATIVES = 256;

/**
 * A glob over `/`-separated relative paths, as picomatch reads the plain syntax: `*` and `?` within
 * one segment, `**` as a whole segment for any number of segments, `[...]` classes (`^`
 * negates), `{a,b}` alternatives, `\` escapes. With `dot: false`, wildcards do not match a
 * segment's leading `.` (as fast-glob with `dot: false`).
 */
export function compileGlob(glob: string, options: { dot: boolean }): Compiled {
  const expanded = expandBraces(glob);
  if ("error" in expanded) return expanded;
  const sources: string[] = [];
  for (const alternative of expanded.globs) {
    const source = globSource(alternative, options.dot);
    if (typeof source !== "string") return source;
    sources.push(source);
  }
  try {
    const re = RE2JS.compile(`^(?:${sources.join("|")})$`);
    return { pattern: { test: (text) => re.matcher(text).matches() } };
  } catch (error) {
    return { error: `cannot be read as a glob (${error instanceof Error ? error.message : String(error)})` };
  }
}

export function boundedGlob(glob: string, options: { dot: boolean }): BoundedPattern {
  const compiled = compileGlob(glob, options);
  if ("error" in compiled) throw new Error(`glob '${glob}': ${compiled.error}`);
  return compiled.pattern;
}

/** Any of several globs. */
export function boundedGlobs(globs: readonly string[], options: { dot: boolean }): BoundedPattern {
  const patterns = globs.map((g) => boundedGlob(g, options));
  return { test: (text) => patterns.some((p) => p.test(text)) };
}

/** `{a,b}` expanded (nested too), at most MAX_ALTERNATIVES results. */
function expandBraces(glob: string): { globs: string[] } | { error: string } {
  let open = -1;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "[") {
      const end = classEnd(glob, i);
      if (end !== -1) i = end;
      continue;
    }
    if (c === "{") {
      open = i;
      break;
    }
  }
  if (open === -1) return { globs: [glob] };
  // The matching close brace, and the top-level commas inside.
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (c === "," && depth === 1) commas.push(i);
  }
  if (close === -1) return { error: "has a `{` without its `}`" };
  if (commas.length === 0) return { error: "has braces `{...}` without a `,` (ranges like `{1..3}` are not supported)" };
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const inner = expandBraces(head + glob.slice(bounds[k]! + 1, bounds[k + 1]) + tail);
    if ("error" in inner) return inner;
    out.push(...inner.globs);
    if (out.length > MAX_ALTERNATIVES) return { error: `expands to more than ${MAX_ALTERNATIVES} alternatives` };
  }
  return { globs: out };
}

/** Index of the `]` closing the class opened at `start`, or -1 when it is a literal `[`. */
function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === "^") i++;
  if (glob[i] === "]") i++;
  for (; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "/") return -1;
    else if (glob[i] === "]") return i;
  }
  return -1;
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|]/g;
const escapeRegex = (s: string) => s.replace(REGEX_SPECIAL, "\\$&");

function globSource(glob: string, dot: boolean): string | { error: string } {
  if (glob.startsWith("!")) return { error: "negated globs (`!...`) are not supported" };
  if (/[@!+*?]\(/.test(glob.replace(/\\./g, ""))) return { error: "extended globs like `+(a|b)` are not supported" };
  // `**/**` is `**`.
  const segments = glob
    .replace(/^(?:\.\/)+/, "")
    .split("/")
    .filter((seg, i, all) => !(seg === "**" && all[i - 1] === "**"));
  // A segment's first character: with dot:false a wildcard there may not be a `.`.
  const anyFirst = dot ? "[^/]" : "[^/.]";
  const wholeSegment = `${anyFirst}[^/]*`;
  let out = "";
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s]!;
    const last = s === segments.length - 1;
    if (segment === "**") {
      // Any number of whole segments (none included), each followed by its `/`. At the end: the
      // folder itself or anything below it (`a/**` matches `a` too); alone, any path.
      if (!last) out += `(?:${wholeSegment}/)*`;
      else if (s === 0) out += `${wholeSegment}(?:/${wholeSegment})*`;
      // (as picomatch: after a segment ending in `*`, at least one segment must follow)
      else if (segments[s - 1]!.endsWith("*")) out += `${wholeSegment}(?:/${wholeSegment})*`;
      else out = `${out.slice(0, -1)}(?:/${wholeSegment})*`;
      continue;
    }
    if (segment.includes("**")) return { error: "`**` must be a whole path segment (`a/**/b`)" };
    let part = "";
    for (let i = 0; i < segment.length; i++) {
      const c = segment[i]!;
      const atStart = i === 0;
      if (c === "\\") {
        if (i + 1 < segment.length) part += escapeRegex(segment[++i]!);
        continue;
      }
      if (c === "*") {
        while (segment[i + 1] === "*") i++;
        part += atStart && !dot ? `(?:${wholeSegment})?` : "[^/]*";
        continue;
      }
      if (c === "?") {
        part += atStart ? anyFirst : "[^/]";
        continue;
      }
      if (c === "[") {
        const end = classEnd(segment, i);
        if (end !== -1) {
          let body = segment.slice(i + 1, end);
          // Only `^` negates (picomatch reads `[!a]` as the characters `!` and `a`).
          const negated = body.startsWith("^");
          if (negated) body = body.slice(1);
          const escaped = body
            .replace(/\\(.)/g, "$1")
            .replace(/[\\\]^]/g, "\\$&")
            .replace(/\[/g, "\\[");
          part += negated ? `[^/${escaped}]` : `[${escaped}]`;
          i = end;
          continue;
        }
      }
      part += escapeRegex(c);
    }
    out += part + (last ? "" : "/");
  }
  return out;
}

/** The folder a glob's matches all lie in: its leading segments without glob characters. */
export function literalBase(glob: string): string {
  const segments = glob.replace(/^(?:\.\/)+/, "").split("/");
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}\\!()+@]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join("/");
}

/** A folder name as a glob that matches exactly it. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]{}()!+@\\]/g, "\\$&");
}
