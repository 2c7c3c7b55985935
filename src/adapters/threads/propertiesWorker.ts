import { workerData, type MessagePort } from "node:worker_threads";
import { readPropertiesFiles } from "../../core/project/propertiesAhead.js";

// The entry of dist/propertiesWorker.js (see propertiesThread.ts): reads the properties files it is
// given, posts the answers on its port, then raises the flag the main thread may be waiting on.
const { port, flag, files } = workerData as { port: MessagePort; flag: Int32Array; files: [string, string][] };
try {
  port.postMessage({ results: readPropertiesFiles(files) });
  Atomics.store(flag, 0, 1);
} catch (error) {
  port.postMessage({ error: String(error) });
  Atomics.store(flag, 0, 2);
}
Atomics.notify(flag, 0);
port.close();
