import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBundledCli as cli } from "../helpers/runBundledCli.js";
import { scratchExample } from "../helpers/scratchExample.js";

describe("dbt-unskip plan, run, rollback, backfill from the bundle", () => {
  let example: Awaited<ReturnType<typeof scratchExample>>;
  let out: string;
  beforeAll(async () => {
    example = await scratchExample();
    out = await mkdtemp(join(tmpdir(), "dbt-unskip-plan-out-"));
  });
  afterAll(async () => {
    await example.cleanup();
    await rm(out, { recursive: true, force: true });
  });

  it("lists the commands, and each has its own help", () => {
    const usage = cli(["--help"], example.root);
    for (const name of ["plan", "run", "rollback", "backfill"]) {
      expect(usage.stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
      const help = cli([name, "--help"], example.root);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: dbt-unskip ${name} `);
    }
  });

  it("plan --json is the plan of the ready batch; --markdown --out writes the five files", async () => {
    const json = cli(["plan", "--dimension", "dim_user", "--json"], example.root);
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout);
    expect(plan.basis).toEqual({ kind: "ready" });
    expect(plan.models.map((m: { name: string; materialization: string; relation: string }) => [m.name, m.materialization, m.relation])).toEqual([
      ["f_user_activity", "table", '"acme"."main_gold"."f_user_activity"'],
    ]);
    expect(plan.rollback.sql).toContain('DROP TABLE IF EXISTS "acme"."main_gold"."f_user_activity";');
    expect(json.stderr).toContain("dbt parse with 1 restored model (scratch copy)");

    const md = cli(["plan", "--dimension", "dim_user", "--markdown", "--out", out], example.root);
    expect(md.code).toBe(0);
    expect(md.stdout.startsWith("# Migration Plan: `dim_user`\n")).toBe(true);
    expect((await readdir(out)).sort()).toEqual(["plan.json", "plan.md", "rollback.sh", "rollback.sql", "validation.sql"]);
    expect((await stat(join(out, "rollback.sh"))).mode & 0o111).not.toBe(0);
  });

  it("bad input is refused in one line naming the option or the problem", () => {
    const cases: [string[], string][] = [
      [["run", "--dimension", "../x"], "--dimension '../x': a name has only letters, digits and _"],
      [["run", "--dimension", "dim_user"], "is not inside a git repository"],
      [["rollback"], "rollback needs --dimension NAME"],
      [["backfill", "--model", "f_transactions", "--start", "2026-02-30", "--end", "2026-03-02"], "--start '2026-02-30': expected a date as YYYY-MM-DD"],
      [["backfill", "--model", "f_transactions", "--start", "2026-03-02", "--end", "2026-03-02"], "must come after"],
      [["backfill", "--model", "f_transactions", "--start", "2026-03-01", "--end", "2026-03-02", "--batch", "week"], "--batch 'week': expected day or month"],
      [["plan", "--dimension", "dim_user", "--pass-env", "A B"], "--pass-env 'A B': not an environment variable name"],
    ];
    for (const [args, message] of cases) {
      const result = cli(args, example.root);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split("\n")[0]!.startsWith("dbt-unskip: ")).toBe(true);
    }
  });
});
