import { dbtErrorHeadline } from "../dbt/dbtErrorHeadline.js";

/** The dbt events worth a line of live progress: each node's start and result, each microbatch batch. */
const PROGRESS = /^Log(StartLine|StartBatch|BatchResult|SkipBecauseError|\w*Result)$/;

/** dbt's own console line for an event (`1 of 3 OK created sql table model ... [OK in 0.21s]`), or null. */
export function progressLine(event: { name: string; level: string; msg: string }): string | null {
  if (PROGRESS.test(event.name) && event.msg) return event.msg;
  if (event.level === "error" && event.msg) return dbtErrorHeadline(event.msg);
  return null;
}
