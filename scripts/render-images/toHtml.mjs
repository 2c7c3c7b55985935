// Markdown (GFM, raw HTML allowed as GitHub allows it) → one HTML page styled like a GitHub issue
// body in an 880 px column, mermaid fences drawn by the mermaid library, alerts drawn as GitHub draws them.
import { readFile, writeFile } from "node:fs/promises";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

const [input, output, title] = process.argv.slice(2);
const md = await readFile(input, "utf8");
let html = micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
html = html.replace(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g, (_m, body) => `<pre class="mermaid">${body}</pre>`);
// GitHub's alerts: a blockquote whose first line is [!KIND].
const ALERT = { NOTE: ["#0969da", "ℹ️ Note"], TIP: ["#1a7f37", "💡 Tip"], IMPORTANT: ["#8250df", "❗ Important"], WARNING: ["#9a6700", "⚠️ Warning"], CAUTION: ["#d1242f", "🛑 Caution"] };
html = html.replace(
  /<blockquote>\n<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\n?/g,
  (_m, kind) => `<blockquote class="alert" style="border-color:${ALERT[kind][0]}"><p class="alert-title" style="color:${ALERT[kind][0]}">${ALERT[kind][1]}</p><p>`,
);
html = html.replace(/<details>/g, "<details open>");
const page = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<style>
body{margin:0;background:#fff;font:14px/1.5 -apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif,"Noto Color Emoji";color:#1f2328}
.box{width:880px;margin:16px;border:1px solid #d1d9e0;border-radius:6px}
.head{background:#f6f8fa;border-bottom:1px solid #d1d9e0;padding:8px 16px;font-weight:600;border-radius:6px 6px 0 0}
.md{padding:16px}
h1,h2,h3,h4{margin:24px 0 16px;font-weight:600;line-height:1.25}
h2{font-size:1.5em;border-bottom:1px solid #d1d9e0b3;padding-bottom:.3em}h3{font-size:1.25em}
table{border-collapse:collapse;margin:0 0 16px;display:block;overflow:auto}
td,th{border:1px solid #d1d9e0;padding:6px 13px}tr:nth-child(2n){background:#f6f8fa}
code{font:85% ui-monospace,SFMono-Regular,Menlo,monospace;background:#818b981f;padding:.2em .4em;border-radius:6px}
pre{background:#f6f8fa;padding:16px;border-radius:6px;overflow:auto}pre code{background:none;padding:0}
pre.mermaid{background:#fff;text-align:center}
blockquote{margin:0 0 16px;padding:0 1em;color:#59636e;border-left:.25em solid #d1d9e0}
blockquote.alert{color:#1f2328}.alert-title{font-weight:500;margin:8px 0 0}
ul{padding-left:2em}li.task-list-item,ul.contains-task-list{list-style:none}ul.contains-task-list{padding-left:1em}
a{color:#0969da;text-decoration:none}summary{cursor:pointer;margin-bottom:8px}details{margin-bottom:16px}
</style></head><body><div class="box"><div class="head">${title}</div><div class="md">${html}</div></div>
<script src="../../../node_modules/mermaid/dist/mermaid.min.js"></script>
<script>mermaid.initialize({startOnLoad:true,securityLevel:"strict",theme:"default"});</script>
</body></html>`;
await writeFile(output, page);
