import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildWorkerBundle } from "../helpers/workerBundle.js";

// RELIABILITY 25: the extractor stops on its evaluation budget. Without the budget, a model of three
// nested loops of 1,000 runs a billion steps synchronously, and an in-process test can only hang
// (a timer never fires while the loop runs). Here the extractor runs in a worker that is stopped
// after a deadline, so a missing budget is a clean failure, not a stuck suite.
let bundle: Awaited<ReturnType<typeof buildWorkerBundle>>;
beforeAll(async () => {
  bundle = await buildWorkerBundle(`import { parentPort, workerData } from "node:worker_threads";
import { extractDependencies } from "./src/core/refs/extractDependencies.ts";
const started = Date.now();
const result = extractDependencies({ text: workerData, language: "sql" });
parentPort.postMessage({ result, ms: Date.now() - started });`);
});
afterAll(() => bundle.cleanup());

function extractWithDeadline(text: string, ms: number): Promise<{ result: { dependencies: unknown[]; warnings: string[] }; ms: number } | "deadline"> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(bundle.path, { workerData: text });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve("deadline");
    }, ms);
    worker.once("message", (message) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(message);
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

it("a billion-step loop nest ends within seconds, with a dynamic dependency", async () => {
  const text = "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{{ ref('m') }}{% endfor %}{% endfor %}{% endfor %}";
  const outcome = await extractWithDeadline(text, 30_000);
  expect(outcome, "the extractor ran past 30 s: its evaluation budget is gone").not.toBe("deadline");
  if (outcome === "deadline") return;
  expect(outcome.result.dependencies).toContainEqual(expect.objectContaining({ type: "dynamic", expression: "(extraction incomplete: too much to evaluate statically)" }));
});
