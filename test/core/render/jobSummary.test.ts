import { describe, expect, it } from "vitest";
import { fitJobSummary, JOB_SUMMARY_CUT_NOTE, JOB_SUMMARY_LIMIT_BYTES } from "../../../src/core/render/jobSummary.js";

describe("fitJobSummary: what GitHub shows (a step's summary file of at most 1 MiB)", () => {
  const report = (rows: number) =>
    `## dbt-unskip: readiness\n\n**${rows}** paused models\n\n<details><summary>All</summary>\n\n\`\`\`text\n${"   - a_paused_model.sql.skip → missing: a_model_not_landed ━━\n".repeat(rows)}\`\`\`\n\n</details>\n`;

  it("leaves a summary that fits as it is", () => {
    const text = report(100);
    expect(fitJobSummary(text)).toEqual({ text, bytes: Buffer.byteLength(text), cut: false });
    expect(fitJobSummary(text, { room: Buffer.byteLength(text) }).cut).toBe(false);
  });

  it("cuts one over the limit under it, in bytes, closes its blocks, keeps its heading and says where the rest is", () => {
    const text = report(20_000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(JOB_SUMMARY_LIMIT_BYTES);
    const fitted = fitJobSummary(text);
    expect(fitted.cut).toBe(true);
    expect(fitted.bytes).toBe(Buffer.byteLength(text));
    expect(Buffer.byteLength(fitted.text)).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT_BYTES);
    expect(Buffer.byteLength(fitted.text)).toBeGreaterThan(JOB_SUMMARY_LIMIT_BYTES - 1000);
    expect(fitted.text.startsWith("## dbt-unskip: readiness\n\n**20000** paused models\n")).toBe(true);
    expect(fitted.text).toMatch(
      /━━\n```\n<\/details>\n\n> ✂️ The rest was cut to fit the job summary's size limit \(1 MiB\); the JSON report at the action's `report-path` output holds all of it\. \([\d,]+ bytes, 1,048,576 allowed\.\)\n$/,
    );
    expect(fitted.text).toContain(JOB_SUMMARY_CUT_NOTE);
  });

  it("counts what the step's summary file already holds (room), and takes the caller's note", () => {
    const text = report(1000);
    const room = Math.floor(Buffer.byteLength(text) / 2);
    const fitted = fitJobSummary(text, { room, note: "See the log." });
    expect(fitted.cut).toBe(true);
    expect(Buffer.byteLength(fitted.text)).toBeLessThanOrEqual(room);
    expect(fitted.text).toMatch(/> ✂️ See the log\. \([\d,]+ bytes, [\d,]+ allowed\.\)\n$/);
  });
});
