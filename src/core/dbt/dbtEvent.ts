/** One line of `dbt --log-format json`: `info` is the event header, `data` its fields. */
export interface DbtEvent {
  name: string;
  level: string;
  msg: string;
  data: Record<string, unknown>;
}

/** Reads one log line; non-JSON lines (Python warnings, a crash's traceback) come back as null. */
export function parseDbtEvent(line: string): DbtEvent | null {
  if (!line.startsWith("{")) return null;
  try {
    const raw = JSON.parse(line) as { info?: { name?: unknown; level?: unknown; msg?: unknown }; data?: unknown };
    if (!raw.info || typeof raw.info.name !== "string") return null;
    return {
      name: raw.info.name,
      level: typeof raw.info.level === "string" ? raw.info.level : "info",
      msg: typeof raw.info.msg === "string" ? raw.info.msg : "",
      data: typeof raw.data === "object" && raw.data !== null ? (raw.data as Record<string, unknown>) : {},
    };
  } catch {
    return null;
  }
}
