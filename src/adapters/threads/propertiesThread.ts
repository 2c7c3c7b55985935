import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { BuildHooks, ParseSettings } from "../../core/project/buildProject.js";
import type { ProjectSnapshot } from "../../core/project/projectSnapshot.js";
import { propertiesFilesOf, propertiesHook, type PropertiesResult } from "../../core/project/propertiesAhead.js";
import { startWorkerHeapsAt } from "../runtime/youngGeneration.js";

/**
 * Below this many bytes of properties YAML a project's properties are read on the main thread: a
 * worker's start (about 40 ms of CPU, its own warm-up) costs more than it saves.
 */
export const MIN_PROPERTIES_BYTES = 2_000_000;
const WORKER_LOADER = `
const { workerData } = require("node:worker_threads");
import(workerData.url).catch(() => { Atomics.store(workerData.flag, 0, 2); Atomics.notify(workerData.flag, 0); });
`;

/** How long buildProject may wait for the worker's answers before reading the files itself. */
const MAX_WAIT_MS = 120_000;

/** The worker posts its answers about this many bytes of YAML at a time. */
const SHARE_BYTES = 1_000_000;

export interface PropertiesThreadOptions {
  /** false: never start a worker thread. Default: when the machine has a second core. */
  enabled?: boolean | undefined;
  /** The worker's script; default `propertiesWorker.js` beside the running bundle. */
  workerFile?: string | undefined;
  minBytes?: number | undefined;
  /** About how many bytes of YAML the worker reads between two messages (see propertiesWorker.ts). */
  shareBytes?: number | undefined;
}

/** `DBT_UNSKIP_THREADS=0` (or `off`, `false`, `1`: one thread) turns worker threads off. */
export function threadsAllowed(value: string | undefined): boolean {
  return !/^\s*(0|1|off|false|no)\s*$/i.test(value ?? "");
}

/**
 * A `prepare` step for computeStatus: for a project with much properties YAML, starts a worker
 * thread that reads those files while buildProject extracts the models' dependencies (which it does
 * before it reads properties), and returns the hook that takes the worker's answers. The answers
 * are parsePropertiesYaml's own (see propertiesAhead.ts); when the worker cannot start, fails or
 * takes too long, the files are read on this thread. Undefined when a worker would not help.
 */
export function propertiesThread(options: PropertiesThreadOptions = {}) {
  return async (snapshot: ProjectSnapshot, _parse: ParseSettings): Promise<BuildHooks | undefined> => {
    if (options.enabled === false || availableParallelism() < 2) return undefined;
    const files = propertiesFilesOf(snapshot);
    let bytes = 0;
    for (const [, text] of files) bytes += text.length;
    if (bytes < (options.minBytes ?? MIN_PROPERTIES_BYTES)) return undefined;
    const workerFile = options.workerFile ?? defaultWorkerFile();
    if (workerFile === null) return undefined;
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    let worker: Worker;
    try {
      // Started through a loader that raises the flag when the script cannot be loaded (missing, or it
      // throws before reading anything), so that the wait below ends at once instead of at its limit.
      const shares = sharesOf(files, options.shareBytes ?? SHARE_BYTES);
      const workerData = { url: pathToFileURL(workerFile).href, port: port2, flag, shares: shares.length };
      // Its young generation at its limit from the start, whatever the main thread's bound set (youngGeneration.ts).
      startWorkerHeapsAt(workerHeapLimits().maxYoungGenerationSizeMb / 2);
      worker = new Worker(WORKER_LOADER, { eval: true, workerData, transferList: [port2], resourceLimits: workerHeapLimits() });
      // The texts go as one message per share, not in workerData: a message waits serialized (one byte
      // per character of most YAML) until the worker takes it, so the worker's heap holds the share it
      // reads, not every text from its start (BENCHMARKS.md, finding 22).
      for (const share of shares) port1.postMessage({ files: share });
    } catch {
      port1.close();
      return undefined;
    }
    worker.unref();
    // A worker that dies (however it does) is read past: the files are read on this thread. Without
    // a listener its 'error' would end the whole process after the report was printed.
    worker.on("error", () => {});
    // Asked by buildProject, which is synchronous, after the models' extraction: take the worker's
    // messages, waiting here for the rest (it raises `flag` once it posted the last, and wakes this
    // thread after each). All of them, in order, ending with `done` for as many files; else none.
    const answers = (): readonly (readonly [string, PropertiesResult])[] | null => {
      const deadline = Date.now() + MAX_WAIT_MS;
      const results: [string, PropertiesResult][] = [];
      let done = false;
      for (;;) {
        // Raised after the last message was posted: read before looking for one, so that none is missed.
        const finished = Atomics.load(flag, 0) !== 0;
        const message = receiveMessageOnPort(port1);
        if (message !== undefined) {
          const body = message.message as { results?: [string, PropertiesResult][]; done?: number } | undefined;
          if (Array.isArray(body?.results)) {
            for (const result of body.results) results.push(result);
            continue;
          }
          done = body?.done === results.length;
          break;
        }
        if (finished || Date.now() >= deadline) break;
        Atomics.wait(flag, 0, 0, 100);
      }
      port1.close();
      void worker.terminate();
      return done ? results : null;
    };
    return { properties: propertiesHook(files, answers) };
  };
}

/** `files` in runs of about `shareBytes` characters of YAML (at least one file each), in order. */
function sharesOf(files: readonly [string, string][], shareBytes: number): [string, string][][] {
  const shares: [string, string][][] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < files.length; i++) {
    bytes += files[i]![1].length;
    if (bytes < shareBytes && i < files.length - 1) continue;
    shares.push(files.slice(start, i + 1));
    start = i + 1;
    bytes = 0;
  }
  return shares;
}

/**
 * The worker's young generation, kept small: with V8's default it grows to tens of MB while the
 * worker reads, beside the main thread's own. Its old generation is not bounded: past a bound the
 * worker would die without a word (ERR_WORKER_OUT_OF_MEMORY, no JavaScript runs), and the main
 * thread, waiting synchronously, would only notice at MAX_WAIT_MS. One 5.6 MB properties file of
 * anchors and flow maps needs about 300 MB to parse; a bound of 64 MB + 3x the YAML saved only
 * 10-25 MB at 50,000 real-shaped models (BENCHMARKS.md, finding 21) and cost two minutes there.
 */
export function workerHeapLimits(): { maxYoungGenerationSizeMb: number } {
  return { maxYoungGenerationSizeMb: 8 };
}

function defaultWorkerFile(): string | null {
  // In a bundle (dist/cli.js, dist/index.js, dist/bot.js) the worker is dist/propertiesWorker.js
  // beside it; run from the TypeScript sources there is none, and the files are read on this thread.
  const file = fileURLToPath(new URL("./propertiesWorker.js", import.meta.url));
  return existsSync(file) ? file : null;
}
