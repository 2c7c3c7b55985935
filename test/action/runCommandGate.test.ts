import { describe, expect, it } from "vitest";
import { runGateRefusal } from "../../src/action/runCommandGate.js";

const ok = { eventName: "workflow_dispatch", dimension: "dim_user", confirm: "dim_user", ref: "refs/heads/main", defaultBranch: "main" };

describe("command run: the gate", () => {
  it("a dispatch on the default branch with the dimension typed again may run (a reusable workflow called from one too)", () => {
    expect(runGateRefusal(ok)).toBeNull();
    expect(runGateRefusal({ ...ok, eventName: "workflow_call" })).toBeNull();
    expect(runGateRefusal({ ...ok, ref: null, defaultBranch: null })).toBeNull();
  });

  it.each(["pull_request", "pull_request_target", "push", "schedule", "issue_comment", "workflow_run", ""])("never on %s, even confirmed", (eventName) => {
    expect(runGateRefusal({ ...ok, eventName })).toMatch(/runs only from a manual dispatch \(workflow_dispatch\), never on .*; nothing ran$/);
  });

  it.each([undefined, "", "DIM_USER", "dim_user ", "yes", "dim_account"])("confirm %j is not the dimension's name: refused, without echoing it", (confirm) => {
    const refusal = runGateRefusal({ ...ok, confirm });
    expect(refusal).toContain("needs the input 'confirm' to repeat the dimension's name exactly ('dim_user')");
    if (confirm) expect(refusal).not.toContain(`'${confirm}'`);
  });

  it("a dispatch on another branch is refused", () => {
    expect(runGateRefusal({ ...ok, ref: "refs/heads/feature" })).toBe("command 'run' runs on the default branch main only (this run is for refs/heads/feature); nothing ran");
  });
});
