import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "./helpers/scratchExample.js";

const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8"));
const sources = readdirSync(join(REPO_ROOT, "src/action"))
  .map((f) => readFileSync(join(REPO_ROOT, "src/action", f), "utf8"))
  .join("\n");
// The formatter may break a call chain across lines (`core\n  .getInput(`): whitespace is allowed around the dot.
const read = new Set([...sources.matchAll(/core\s*\.get(?:Multiline|Boolean)?Input\(\s*"([^"]+)"/g)].map((m) => m[1]!));
const set = new Set([...sources.matchAll(/core\s*\.setOutput\(\s*"([^"]+)"/g)].map((m) => m[1]!));

it("action.yml: marketplace metadata, node24 running the committed bundle", () => {
  expect(action).toMatchObject({ name: "dbt-unskip", description: expect.any(String), branding: { icon: expect.any(String), color: expect.any(String) } });
  expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
});

it("every input the code reads is declared with a description and a default, and nothing else is", () => {
  expect(Object.keys(action.inputs).sort()).toEqual([...read].sort());
  for (const [name, input] of Object.entries<any>(action.inputs)) {
    expect(input.description, name).toMatch(/\S/);
    expect(input.default, name).toBeTypeOf("string");
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub expression text, not a template
  expect(action.inputs.token.default).toBe("${{ github.token }}");
  expect(action.inputs.comment.default).toBe("changed");
});

it("every output the code sets is declared with a description", () => {
  expect(Object.keys(action.outputs).sort()).toEqual([...set].sort());
  for (const [name, output] of Object.entries<any>(action.outputs)) expect(output.description, name).toMatch(/\S/);
});
