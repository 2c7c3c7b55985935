import { describe, expect, it } from "vitest";
import { dbtErrorHeadline } from "../../../src/core/dbt/dbtErrorHeadline.js";

// The messages as dbt 1.11 sends them in its JSON events (MainEncounteredError, MainStackTrace).
const TRACEBACK = [
  "Traceback (most recent call last):",
  '  File "/venv/lib/python3.12/site-packages/dbt/cli/requires.py", line 153, in wrapper',
  "    result, success = func(*args, **kwargs)",
  "                      ^^^^^^^^^^^^^^^^^^^^^",
  '  File "/venv/lib/python3.12/site-packages/dbt/parser/manifest.py", line 401, in load',
  "    node = self.nodes[unique_id]",
  "           ~~~~~~~~~~^^^^^^^^^^^",
  "KeyError: 'model.acme.d_user'",
  "",
].join("\n");

describe("dbtErrorHeadline: the line that says what went wrong", () => {
  it("a Python traceback: the exception, not 'Traceback (most recent call last):'", () => {
    expect(dbtErrorHeadline(TRACEBACK)).toBe("KeyError: 'model.acme.d_user'");
  });

  it("a chained traceback: the last exception", () => {
    const chained = `${TRACEBACK}\nDuring handling of the above exception, another exception occurred:\n\n${TRACEBACK.replace("KeyError: 'model.acme.d_user'", "RuntimeError: manifest is inconsistent")}`;
    expect(dbtErrorHeadline(chained)).toBe("RuntimeError: manifest is inconsistent");
  });

  it("dbt's own error: its heading with what went wrong, not 'Encountered an error:'", () => {
    const message = "Encountered an error:\nCompilation Error in model zz_bad (transform/gold/zz_bad.sql)\n  unexpected '}', expected ')'\n    line 1\n      select {{ ref('nope' }}";
    expect(dbtErrorHeadline(message)).toBe("Compilation Error in model zz_bad (transform/gold/zz_bad.sql): unexpected '}', expected ')'");
    expect(dbtErrorHeadline("Encountered an error:\nParsing Error\n  Error reading acme: schema.yml - Runtime Error")).toBe("Parsing Error: Error reading acme: schema.yml - Runtime Error");
  });

  it("nested headings: the innermost one with its reason (a macro undefined at compile)", () => {
    const message =
      "Runtime Error\n  Compilation Error in model f_contract_channels (transform/gold/f_contract_channels.sql)\n    'union_relations_by_name' is undefined. This can happen when calling a macro that does not exist.";
    expect(dbtErrorHeadline(message)).toBe(
      "Compilation Error in model f_contract_channels (transform/gold/f_contract_channels.sql): 'union_relations_by_name' is undefined. This can happen when calling a macro that does not exist.",
    );
  });

  it("a one-line message stays as it is; a long one is cut", () => {
    expect(dbtErrorHeadline("Database Error in model x (models/x.sql)")).toBe("Database Error in model x (models/x.sql)");
    expect(dbtErrorHeadline("1 of 3 ERROR creating sql table model main.x")).toBe("1 of 3 ERROR creating sql table model main.x");
    expect(dbtErrorHeadline("x".repeat(400))).toHaveLength(300);
  });
});
