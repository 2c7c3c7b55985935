import { workerData, type MessagePort } from "node:worker_threads";
import { readPropertiesFiles } from "../../core/project/propertiesAhead.js";

// The entry of dist/propertiesWorker.js (see propertiesThread.ts): reads the properties files it is
// given and posts the answers on its port a share at a time (`{ results }`, then `{ done }` with how
// many files were answered), raising the flag the main thread may be waiting on at the end.
//
// A share at a time, each text dropped once read: this thread's heap then holds the texts still to
// read and one share's answers, not every text and every answer at once (at 50,000 real-shaped
// models about 140 MB against the main thread's peak; BENCHMARKS.md, finding 21). The answers wait
// as messages (a compact copy: 8 MB there) until the main thread asks for them.
const { port, flag, files, shareBytes } = workerData as { port: MessagePort; flag: Int32Array; files: ([string, string] | null)[]; shareBytes: number };
try {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < files.length; i++) {
    bytes += files[i]![1].length;
    if (bytes < shareBytes && i < files.length - 1) continue;
    port.postMessage({ results: readPropertiesFiles(files.slice(start, i + 1) as [string, string][]) });
    files.fill(null, start, i + 1);
    Atomics.notify(flag, 0);
    start = i + 1;
    bytes = 0;
  }
  port.postMessage({ done: files.length });
  Atomics.store(flag, 0, 1);
} catch (error) {
  port.postMessage({ error: String(error) });
  Atomics.store(flag, 0, 2);
}
Atomics.notify(flag, 0);
port.close();
