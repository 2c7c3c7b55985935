import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { BuildHooks, ParseSettings } from "../../core/project/buildProject.js";
import type { ProjectSnapshot } from "../../core/project/projectSnapshot.js";
import { propertiesFilesOf, propertiesHook, type PropertiesResult } from "../../core/project/propertiesAhead.js";

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

export interface PropertiesThreadOptions {
  /** false: never start a worker thread. Default: when the machine has a second core. */
  enabled?: boolean | undefined;
  /** The worker's script; default `propertiesWorker.js` beside the running bundle. */
  workerFile?: string | undefined;
  minBytes?: number | undefined;
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
      worker = new Worker(WORKER_LOADER, { eval: true, workerData: { url: pathToFileURL(workerFile).href, port: port2, flag, files }, transferList: [port2] });
    } catch {
      port1.close();
      return undefined;
    }
    worker.unref();
    // Asked by buildProject, which is synchronous, after the models' extraction: wait here for the
    // worker's message (it raises `flag` once posted).
    const answers = (): readonly (readonly [string, PropertiesResult])[] | null => {
      const deadline = Date.now() + MAX_WAIT_MS;
      let message = receiveMessageOnPort(port1);
      while (message === undefined && Atomics.load(flag, 0) === 0 && Date.now() < deadline) {
        Atomics.wait(flag, 0, 0, 100);
        message = receiveMessageOnPort(port1);
      }
      message ??= receiveMessageOnPort(port1);
      port1.close();
      void worker.terminate();
      const body = message?.message as { results?: [string, PropertiesResult][] } | undefined;
      return body?.results ?? null;
    };
    return { properties: propertiesHook(files, answers) };
  };
}

function defaultWorkerFile(): string | null {
  // In a bundle (dist/cli.js, dist/index.js, dist/bot.js) the worker is dist/propertiesWorker.js
  // beside it; run from the TypeScript sources there is none, and the files are read on this thread.
  const file = fileURLToPath(new URL("./propertiesWorker.js", import.meta.url));
  return existsSync(file) ? file : null;
}
