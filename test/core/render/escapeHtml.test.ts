import { expect, it } from "vitest";
import { escapeHtml } from "../../../src/core/render/escapeHtml.js";

it("escapeHtml keeps a name from closing the summary's code block", () => {
  expect(escapeHtml("a</code></pre><img src=x>&amp;")).toBe("a&lt;/code&gt;&lt;/pre&gt;&lt;img src=x&gt;&amp;amp;");
});
