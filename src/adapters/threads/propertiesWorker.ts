import { workerData, type MessagePort } from "node:worker_threads";
import { readPropertiesFiles } from "../../core/project/propertiesAhead.js";

// The entry of dist/propertiesWorker.js (see propertiesThread.ts): reads the properties files the
// main thread posts a share at a time (`{ files }`, `shares` messages in all) and posts the answers
// on the same port a share at a time (`{ results }`, then `{ done }` with how many files were
// answered), raising the flag the main thread may be waiting on after each and at the end.
//
// A share at a time: this thread's heap then holds one share's texts and answers, not every text
// and every answer at once (at 50,000 real-shaped models its heap reached about 95 MB with every
// text given at its start; BENCHMARKS.md, findings 21 and 22). The rest waits as messages, in a
// compact copy, until it is taken: the texts to read here, the answers there.
const { port, flag, shares } = workerData as { port: MessagePort; flag: Int32Array; shares: number };
let received = 0;
let answered = 0;

function finish(state: 1 | 2, last: unknown): void {
  port.postMessage(last);
  Atomics.store(flag, 0, state);
  Atomics.notify(flag, 0);
  port.close();
}

if (shares === 0) finish(1, { done: 0 });
else {
  port.on("message", (message: { files: [string, string][] }) => {
    try {
      port.postMessage({ results: readPropertiesFiles(message.files) });
      answered += message.files.length;
      Atomics.notify(flag, 0);
      if (++received === shares) finish(1, { done: answered });
    } catch (error) {
      finish(2, { error: String(error) });
    }
  });
}
