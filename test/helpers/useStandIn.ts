import { afterAll, afterEach, beforeAll } from "vitest";

/** A server a test stands up in place of a real one (GitHub's API, the archive host). */
export interface StandIn {
  /** Throws when something declared is still pending or something undeclared came in. */
  assertDone(): void;
  close(): Promise<void>;
}

/**
 * One stand-in for the tests of the enclosing `describe` (or file): started before them, checked
 * after each (`assertDone`), closed after the last. The handle is usable where it is declared; what
 * is asked of it before the stand-in has started is an error.
 *
 *     const gh = useStandIn(startGitHubStandIn);
 */
export function useStandIn<T extends StandIn>(start: () => Promise<T>): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterEach(() => current?.assertDone());
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (key === "then") return undefined; // not a promise, whatever is asked of it
      if (!current) throw new Error(`stand-in used outside its tests (asked for ${String(key)})`);
      const value: unknown = Reflect.get(current, key);
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
}
