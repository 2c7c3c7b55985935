import { describe, expect, it } from "vitest";
import { colorize, useColor } from "../../src/cli/terminalColor.js";

const tty = { write: () => true, isTTY: true };
const pipe = { write: () => true };

describe("colour on a terminal", () => {
  it("NO_COLOR wins, FORCE_COLOR forces, else only a terminal that is not dumb", () => {
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(pipe, {})).toBe(false);
    expect(useColor(tty, { NO_COLOR: "1" })).toBe(false);
    expect(useColor(tty, { NO_COLOR: "" })).toBe(true);
    expect(useColor(tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: "" })).toBe(true);
    expect(useColor(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(useColor(tty, { TERM: "dumb" })).toBe(false);
  });

  it("colours verdict and heading lines only; removing the codes gives the text back", () => {
    const text = "━━━\nRESTART READINESS: shop (.)\n\n✅ READY TO RESUME (1 model):\n   1. a.sql.skip → ok\n❌ STILL BLOCKED (1 model):\nNext: dbt-unskip restore --dimension d\n";
    const coloured = colorize(text);
    expect(coloured).toContain("\x1b[1m\x1b[32m✅ READY TO RESUME (1 model):\x1b[0m\x1b[0m");
    expect(coloured).toContain("\x1b[1m\x1b[31m❌ STILL BLOCKED (1 model):");
    expect(coloured).toContain("   1. a.sql.skip → ok\n");
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(text);
  });
});
