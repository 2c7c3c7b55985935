/**
 * git's rules for a branch name (`git check-ref-format --branch`, applied to `refs/heads/<name>`),
 * so every branch the tool would make is refused before any work, not after dbt ran. Null when the
 * name is valid, else the rule it breaks. Cross-checked against git in
 * test/hardening/refName.int.test.ts.
 */
export function branchNameProblem(name: string): string | null {
  if (name === "") return "is empty";
  if (name.startsWith("-")) return "may not start with `-`";
  if (name === "HEAD") return "may not be `HEAD`";
  return refNameProblem(`refs/heads/${name}`);
}

/** `git check-ref-format <ref>` (no --normalize, no --allow-onelevel). */
export function refNameProblem(ref: string): string | null {
  if (ref === "@") return "may not be `@`";
  if (ref.startsWith("/") || ref.endsWith("/")) return "may not start or end with `/`";
  if (ref.includes("//")) return "may not hold `//`";
  if (!ref.includes("/")) return "needs a `/`";
  if (ref.endsWith(".")) return "may not end with `.`";
  if (ref.includes("..")) return "may not hold `..`";
  if (ref.includes("@{")) return "may not hold `@{`";
  for (const char of ref) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return "may not hold control characters";
    if (" ~^:?*[\\".includes(char)) return `may not hold \`${char === " " ? "a space" : char}\``.replace("`a space`", "a space");
  }
  for (const component of ref.split("/")) {
    if (component.startsWith(".")) return "no part between slashes may start with `.`";
    if (component.endsWith(".lock")) return "no part between slashes may end with `.lock`";
  }
  return null;
}

/**
 * A branch prefix is valid when `<prefix><dimension>` is a valid branch for every dimension name;
 * dimension names are plain (letters, digits, `_`), so one such name stands for all.
 */
export function branchPrefixProblem(prefix: string): string | null {
  const problem = branchNameProblem(`${prefix}dim_x`);
  return problem === null ? null : `'${prefix}<dimension>' is not a valid git branch name: it ${problem}`;
}
