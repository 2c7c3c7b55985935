import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createUtf8LineChecker } from "../../../src/core/csv/utf8LineChecker.js";

function lineOfError(...chunks: number[][]): number | null {
  const checker = createUtf8LineChecker();
  for (const chunk of chunks) {
    const line = checker.feed(Uint8Array.from(chunk));
    if (line !== null) return line;
  }
  return checker.end();
}

const ascii = (text: string) => [...Buffer.from(text, "utf8")];

describe("createUtf8LineChecker", () => {
  it("names the line of the first invalid byte", () => {
    expect(lineOfError([...ascii("a,b\n1,2\n3,"), 0xe9, ...ascii("t\xe9\n")])).toBe(3); // Latin-1 é
  });

  it("refuses overlong forms, surrogates, code points above U+10FFFF and a stray continuation byte", () => {
    expect(lineOfError([0xc0, 0xaf])).toBe(1);
    expect(lineOfError(ascii("x\n"), [0xed, 0xa0, 0x80])).toBe(2);
    expect(lineOfError([0xf4, 0x90, 0x80, 0x80])).toBe(1);
    expect(lineOfError(ascii("\n\n"), [0x80])).toBe(3);
  });

  it("a sequence cut short by the end of the file", () => {
    expect(lineOfError(ascii("ok\n"), [0xe2, 0x82])).toBe(2);
  });

  it("accepts any valid text, cut into chunks anywhere", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.nat(), (text, cut) => {
        const bytes = [...Buffer.from(text, "utf8")];
        const at = bytes.length === 0 ? 0 : cut % bytes.length;
        expect(lineOfError(bytes.slice(0, at), bytes.slice(at))).toBeNull();
      }),
    );
  });
});
