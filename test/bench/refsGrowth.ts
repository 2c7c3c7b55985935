// Growth of the reference extractor on models with thousands of distinct refs (issue #15, RELIABILITY
// 25). Prints CPU time (best of several runs) at n, 2n and 4n lines and the ratio 4n / n for a few
// input shapes, through the fast path (plain calls) and the interpreter. Figures only: nothing here
// is asserted. Run: node --input-type=module -e "import { runTsScript } from './scripts/runTsScript.mjs';
// process.exitCode = await runTsScript('test/bench/refsGrowth.ts', [])"   (optionally: sizes, e.g. 4000 16000)
import { extractDependencies } from "../../src/core/refs/extractDependencies.js";

const RUNS = 5;

function bestCpuMs(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const shapes: [string, (n: number) => string][] = [
  ["distinct refs, one per line", (n) => Array.from({ length: n }, (_, i) => `select * from {{ ref('model_${i}') }}`).join("\n")],
  ["distinct refs and sources", (n) => Array.from({ length: n }, (_, i) => `join {{ ref('m_${i}') }} using (id) -- {{ source('s', 't_${i}') }}`).join("\n")],
  ["a config and a distinct ref per line", (n) => Array.from({ length: n }, (_, i) => `{{ config(tags=['t${i}']) }} {{ ref('m_${i}') }}`).join("\n")],
  ["a config and a distinct source per line", (n) => Array.from({ length: n }, (_, i) => `{{ config(tags=['t${i}']) }} {{ source('s', 't_${i}') }}`).join("\n")],
  ["distinct refs all on one line", (n) => Array.from({ length: n }, (_, i) => `{{ ref('model_${i}') }}`).join(" ")],
  ["distinct refs on one line, then a newline", (n) => `${Array.from({ length: n }, (_, i) => `{{ ref('model_${i}') }}`).join(" ")}\nselect 1`],
  ["distinct refs on one line inside an if (interpreter)", (n) => `{% if x %}${Array.from({ length: n }, (_, i) => `{{ ref('model_${i}') }}`).join(" ")}{% endif %}`],
  ["the same ref on every line", (n) => Array.from({ length: n }, () => "select * from {{ ref('model') }}").join("\n")],
  ["distinct refs inside an if (interpreter)", (n) => `{% if x %}\n${Array.from({ length: n }, (_, i) => `select * from {{ ref('model_${i}') }}`).join("\n")}\n{% endif %}`],
  ["distinct refs in a for loop body", (n) => `{% for a in [1] %}\n${Array.from({ length: n }, (_, i) => `{{ ref('model_${i}') }}`).join("\n")}\n{% endfor %}`],
];

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const [n1, n2] = sizes.length === 2 ? sizes : [4000, 16000];
const mid = Math.round(Math.sqrt(n1! * n2!));
console.log(`reference extraction, CPU ms (best of ${RUNS}); Node ${process.version}`);
console.log(`| input | ${n1} lines | ${mid} lines | ${n2} lines | ratio ${n2}/${n1} |`);
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [name, make] of shapes) {
  const texts = [n1!, mid, n2!].map(make);
  const run = (text: string) => void extractDependencies({ text, language: "sql", projectName: "shop" });
  run(texts[0]!); // warm up
  const times = texts.map((t) => bestCpuMs(() => run(t)));
  const deps = extractDependencies({ text: texts[2]!, language: "sql", projectName: "shop" }).dependencies.length;
  console.log(`| ${name} (${deps} deps at ${n2}) | ${times.map((t) => t.toFixed(1)).join(" | ")} | ${(times[2]! / times[0]!).toFixed(1)}x |`);
}
