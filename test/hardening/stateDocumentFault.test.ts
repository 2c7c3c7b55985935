import { describe, expect, it, vi } from "vitest";

// RELIABILITY 25: the state-document parser never throws. Property tests show no input makes the
// reader fail; this one injects a fault into the reader (the field-line parser throws) to show the
// safety net: the document comes back unrecognised, with the reason, and is therefore never edited.
vi.mock("../../src/core/stateDocument/fieldLine.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/core/stateDocument/fieldLine.js")>();
  return {
    ...original,
    parseFieldLine: () => {
      throw new Error("injected reader fault");
    },
  };
});

const { parseStateDocument } = await import("../../src/core/stateDocument/parseStateDocument.js");
const { writeStateDocument } = await import("../../src/core/stateDocument/writeStateDocument.js");

describe("a reader fault", () => {
  it("does not escape: the document is unrecognised, the reason is a problem, the text is kept", () => {
    const text = "# dim_user Migration State\n\n**Status**: PAUSED\n\n## Paused Models\n\n### 1. d_user.sql → d_user.sql.skip\n";
    let doc: ReturnType<typeof parseStateDocument> | undefined;
    expect(() => (doc = parseStateDocument(text))).not.toThrow();
    expect(doc!.recognized).toBe(false);
    expect(doc!.problems).toEqual(["the state document could not be read: injected reader fault"]);
    expect(writeStateDocument(doc!)).toBe(text);
  });
});
