import { describe, expect, it } from "vitest";
import { parseCliVars, parseCommandArgs } from "../../src/cli/cliCommand.js";
import { UserError } from "../../src/core/userError.js";

describe("--vars, as dbt's --vars", () => {
  it("reads YAML and JSON mappings, with PyYAML's booleans", () => {
    expect(parseCliVars("{use_alt: true, n: 3}")).toEqual({ use_alt: true, n: 3 });
    expect(parseCliVars('{"use_alt": false, "s": "x"}')).toEqual({ use_alt: false, s: "x" });
    expect(parseCliVars("{a: yes, b: off, c: y}")).toEqual({ a: true, b: false, c: "y" });
  });

  it("refuses what is not a mapping, naming the option", () => {
    expect(() => parseCliVars("[1, 2]")).toThrow(UserError);
    expect(() => parseCliVars("just text")).toThrow(/--vars: expected a mapping/);
    expect(() => parseCliVars("{a: [}")).toThrow(/--vars: not valid YAML/);
  });

  it("every command takes it", () => {
    expect(parseCommandArgs("status", ["--vars", "{x: 1}"], {}, "/").common.vars).toEqual({ x: 1 });
    expect(parseCommandArgs("status", [], {}, "/").common.vars).toBeUndefined();
  });
});
