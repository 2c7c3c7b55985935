import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "./helpers/scratchExample.js";

// RELIABILITY 4: no expression inside a `run:` line, in the workflows this repository ships and in
// the recipes its documentation shows (a branch name or PR title there is shell code).

const workflowFiles = readdirSync(join(REPO_ROOT, ".github/workflows")).filter((f) => /\.ya?ml$/.test(f));
const docs = ["README.md", "docs/action.md", "docs/bot.md"];

/** Fenced YAML blocks, including ones indented under a list item (dedented). */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^( *)```ya?ml\n([\s\S]*?)^\1```/gm)].map((m) =>
    m[2]!
      .split("\n")
      .map((line) => line.slice(m[1]!.length))
      .join("\n"),
  );
}

function steps(workflow: any): any[] {
  return Object.values(workflow?.jobs ?? {}).flatMap((job: any) => job?.steps ?? []);
}

const sources = [
  ...workflowFiles.map((f) => ({ name: `.github/workflows/${f}`, text: readFileSync(join(REPO_ROOT, ".github/workflows", f), "utf8") })),
  ...docs.flatMap((d) => yamlBlocks(readFileSync(join(REPO_ROOT, d), "utf8")).map((text, i) => ({ name: `${d} block ${i + 1}`, text }))),
];

describe("workflows and documented recipes", () => {
  it("there are some to check", () => {
    expect(workflowFiles.length).toBeGreaterThanOrEqual(3);
    expect(sources.length).toBeGreaterThanOrEqual(6);
    expect(sources.filter((s) => s.name.startsWith("docs/action.md")).length).toBeGreaterThanOrEqual(5);
    expect(sources.filter((s) => s.name.startsWith("README.md")).length).toBeGreaterThanOrEqual(1);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub expression text, not a template
  it.each(sources)("$name: no ${{ }} inside run:, minimal permissions, no pull_request_target", ({ text }) => {
    const doc = parse(text);
    const runs = Array.isArray(doc)
      ? []
      : steps(doc)
          .map((s) => s.run)
          .filter((r): r is string => typeof r === "string");
    // A documented step fragment (a list of steps) is checked too.
    const fragment = Array.isArray(doc) ? doc.map((s: any) => s?.run).filter((r: unknown): r is string => typeof r === "string") : [];
    for (const run of [...runs, ...fragment]) expect(run).not.toMatch(/\$\{\{/);
    if (!Array.isArray(doc) && doc?.on) {
      expect(doc.permissions, "every workflow says what its token may do").toBeTypeOf("object");
      expect(Object.keys(doc.on)).not.toContain("pull_request_target");
    }
  });

  it("the post workflow never checks out or runs a PR's code", () => {
    const post = parse(readFileSync(join(REPO_ROOT, ".github/workflows/dbt-unskip-post.yml"), "utf8"));
    for (const step of steps(post)) {
      expect(JSON.stringify(step.with ?? {})).not.toMatch(/head_sha|head_branch|pull_request/);
    }
  });
});
