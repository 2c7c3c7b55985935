import { describe, expect, it } from "vitest";
import { truncateBody, utf8Length } from "../../../src/core/render/truncateBody.js";

const MARKER = "<!-- m -->";

describe("truncateBody", () => {
  it("leaves a body under the limit alone", () => {
    expect(truncateBody("short", { limit: 10 })).toBe("short");
  });

  it("cuts at a line break, closes open <details>, keeps the marker and says so, within the limit", () => {
    const body = `${MARKER}\n# title\n<details>\n<summary>s</summary>\n\n${"| row |\n".repeat(100)}</details>\n`;
    const cut = truncateBody(body, { limit: 300, marker: MARKER, note: "Cut." });
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut.startsWith(`${MARKER}\n# title\n<details>`)).toBe(true);
    expect(cut).toMatch(/\| row \|\n<\/details>\n\n> ✂️ Cut\. \(\d+ characters, 300 allowed\.\)\n$/);
  });

  it("keeps the footer as the last line, within the limit, cut or not", () => {
    expect(truncateBody("short\n", { limit: 20, footer: "foot\n" })).toBe("short\nfoot\n");
    const cut = truncateBody(`${MARKER}\n${"line\n".repeat(200)}`, { limit: 300, marker: MARKER, note: "Cut.", footer: "<sub>the commits</sub>\n" });
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/line\n\n> ✂️ Cut\. \(1,034 characters, 300 allowed\.\)\n\n<sub>the commits<\/sub>\n$/);
    // A body that fits only without its footer is cut too: the footer counts.
    expect(truncateBody("x".repeat(15), { limit: 20, footer: "footer\n" }).length).toBeLessThanOrEqual(20);
  });

  it("counts bytes of UTF-8 when told to (a job summary), never splitting a character, the footer kept", () => {
    const body = `<details>\n${"| é 模型 😀 |\n".repeat(200)}</details>\n`;
    expect(truncateBody(body, { limit: utf8Length(body), unit: "bytes" })).toBe(body);
    const cut = truncateBody(body, { limit: 500, unit: "bytes", note: "Cut.", footer: "<sub>ç</sub>\n" });
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(500);
    // Cut near the limit, not far under it (a character-sized room would drop two thirds of it).
    expect(Buffer.byteLength(cut)).toBeGreaterThan(450);
    expect(cut).toMatch(/\| é 模型 😀 \|\n<\/details>\n\n> ✂️ Cut\. \(3,835 bytes, 500 allowed\.\)\n\n<sub>ç<\/sub>\n$/);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    // Characters and bytes agree on ASCII; they differ past it.
    expect(truncateBody("abc", { limit: 3, unit: "bytes" })).toBe("abc");
    expect(truncateBody("ééé", { limit: 3 })).toBe("ééé");
    expect(truncateBody("ééé", { limit: 3, unit: "bytes" })).not.toBe("ééé");
  });

  it("utf8Length is Buffer.byteLength, lone surrogates included", () => {
    for (const text of ["", "abc", "é", "模型", "😀", "a\uD800b", "\uDC00", "x\uD83D", "é😀模a"]) expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });

  it("puts the marker back when it was not at the start", () => {
    const cut = truncateBody(`${"x\n".repeat(200)}${MARKER}`, { limit: 200, marker: MARKER });
    expect(cut.startsWith(`${MARKER}\nx\n`)).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(200);
  });

  it("never splits a surrogate pair on a line without breaks", () => {
    const cut = truncateBody("😀".repeat(500), { limit: 301 });
    expect(cut.length).toBeLessThanOrEqual(301);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe("truncateBody and code fences", () => {
  it("a cut inside a fenced block closes the fence before the <details>, and tags shown inside code are not counted", () => {
    const script = `${"echo '<details>'\n".repeat(200)}`;
    const body = `${MARKER}\n<details><summary>script</summary>\n\n\`\`\`\`sh\n\`\`\`\n${script}\`\`\`\`\n\n</details>\n`;
    const cut = truncateBody(body, { limit: 400, marker: MARKER, note: "Cut." });
    expect(cut.length).toBeLessThanOrEqual(400);
    // The inner ``` (shorter than the opening ````) does not close it; the closer is ```` and one </details>.
    expect(cut).toMatch(/echo '<details>'\n````\n<\/details>\n\n> ✂️ Cut\./);
    expect(cut.match(/<\/details>/g)).toHaveLength(1);
  });

  it("a fence already closed adds no closer", () => {
    const body = `${MARKER}\n\`\`\`sql\nselect 1\n\`\`\`\n${"x\n".repeat(300)}`;
    const cut = truncateBody(body, { limit: 200, marker: MARKER, note: "Cut." });
    expect(cut).toMatch(/x\n\n> ✂️ Cut\./);
  });
});
