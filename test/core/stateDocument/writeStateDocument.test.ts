import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parseStateDocument, writeStateDocument } from "../../../src/core/stateDocument/index.js";
import { stateDocumentArbitrary } from "./stateDocumentArbitrary.js";

// Pieces that matter to the reader, so arbitrary text often forms (and breaks) real structure.
const markdownPiece = fc.constantFrom(
  "#",
  "## ",
  "### ",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "\uFEFF",
  "`",
  "```",
  "~~~",
  "<!--",
  "-->",
  "- ",
  "* ",
  "1. ",
  "**",
  "__",
  ":",
  "Status",
  "**Status**: ",
  "PAUSED",
  "Paused Models",
  "Restart Log",
  "Resume",
  "Missing Dependencies",
  "✅",
  "❌",
  "⏸️",
  "→",
  "->",
  "(2/10)",
  "(from dim_x)",
  "d_user.sql",
  ".skip",
  "source: raw.a",
  "\uFFFD",
  "é",
  "😀",
);

describe("writeStateDocument", () => {
  it("writes generated state documents back byte for byte", () => {
    fc.assert(
      fc.property(stateDocumentArbitrary, (generated) => {
        expect(writeStateDocument(parseStateDocument(generated.text))).toBe(generated.text);
      }),
      { numRuns: 300 },
    );
  });

  it("writes any string back byte for byte", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(writeStateDocument(parseStateDocument(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it("writes Markdown-like noise back byte for byte", () => {
    fc.assert(
      fc.property(
        fc.array(markdownPiece, { maxLength: 80 }).map((parts) => parts.join("")),
        (text) => {
          expect(writeStateDocument(parseStateDocument(text))).toBe(text);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("keeps a BOM, mixed line endings and a missing final newline", () => {
    const text = "\uFEFF# t\r\nStatus: PAUSED\n\rlast";
    expect(writeStateDocument(parseStateDocument(text))).toBe(text);
  });

  it("splices a changed status value into its line and changes nothing else", () => {
    const text = "# t\r\n\r\n- **Status:** **PAUSED** \t\r\n**Date**: x\r\n";
    const doc = parseStateDocument(text);
    expect(doc.status?.value).toBe("PAUSED");
    const written = writeStateDocument({ ...doc, status: { ...doc.status!, value: "RESUMED" } });
    expect(written).toBe("# t\r\n\r\n- **Status:** **RESUMED** \t\r\n**Date**: x\r\n");
  });

  it("keeps a new status value on one line", () => {
    const doc = parseStateDocument("Status: PAUSED\n## next\n");
    const written = writeStateDocument({ ...doc, status: { ...doc.status!, value: "A\n## injected\r\nB" } });
    expect(written).toBe("Status: A ## injected B\n## next\n");
  });
});
