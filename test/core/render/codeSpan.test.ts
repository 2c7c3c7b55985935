import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { codeSpan } from "../../../src/core/render/codeSpan.js";

/**
 * What a CommonMark renderer shows for a string that should be exactly one code span: the opening
 * backtick run must be closed by the first later run of the same length, and that run must end
 * the string. Returns null when the string is not a single code span.
 */
function renderedCodeSpan(markdown: string): string | null {
  let open = 0;
  while (markdown[open] === "`") open++;
  if (open === 0) return null;
  let i = open;
  while (i < markdown.length) {
    if (markdown[i] !== "`") {
      i++;
      continue;
    }
    let run = 0;
    while (markdown[i + run] === "`") run++;
    if (run === open) {
      if (i + run !== markdown.length) return null;
      let content = markdown.slice(open, i).replace(/\r\n|\r|\n/g, " ");
      if (content.startsWith(" ") && content.endsWith(" ") && !/^ +$/.test(content)) {
        content = content.slice(1, -1);
      }
      return content;
    }
    i += run;
  }
  return null;
}

describe("codeSpan", () => {
  it("wraps a plain name in single backticks", () => {
    expect(codeSpan("d_user")).toBe("`d_user`");
  });

  it("uses a longer fence than any backtick run inside", () => {
    expect(codeSpan("a`b")).toBe("``a`b``");
    expect(codeSpan("a``b`c")).toBe("```a``b`c```");
  });

  it("pads when a backtick touches the fence", () => {
    expect(codeSpan("`a")).toBe("`` `a ``");
    expect(codeSpan("a`")).toBe("`` a` ``");
    expect(codeSpan("`")).toBe("`` ` ``");
  });

  it("pads when the text starts and ends with a space, so the renderer keeps them", () => {
    expect(codeSpan(" a ")).toBe("`  a  `");
    expect(codeSpan(" a")).toBe("` a`");
  });

  it("leaves all-space text alone (the renderer does not strip it)", () => {
    expect(codeSpan("  ")).toBe("`  `");
  });

  it("collapses line breaks to spaces", () => {
    expect(codeSpan("a\nb\r\nc\rd")).toBe("`a b c d`");
  });

  it("renders nothing for the empty string", () => {
    expect(codeSpan("")).toBe("");
  });

  it("keeps Markdown and mention syntax as literal text", () => {
    for (const name of ["[x](http://e.test)", "<script>", "@org/team", "**b**", "a|b", "\\`"]) {
      expect(renderedCodeSpan(codeSpan(name))).toBe(name);
    }
  });

  it("renders as exactly its input for any string without line breaks", () => {
    const text = fc.string({
      unit: fc.oneof(fc.constantFrom("`", " ", "``", "a", "\t", "<", "]("), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })),
      minLength: 1,
    });
    fc.assert(
      fc.property(text, (input) => {
        fc.pre(!/[\r\n]/.test(input));
        expect(renderedCodeSpan(codeSpan(input))).toBe(input);
      }),
      { numRuns: 2000 },
    );
  });

  it("renders any string as its line breaks turned into spaces", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1 }), (input) => {
        const flat = input.replace(/\r\n|\r|\n/g, " ");
        expect(renderedCodeSpan(codeSpan(input))).toBe(flat);
      }),
      { numRuns: 1000 },
    );
  });
});
