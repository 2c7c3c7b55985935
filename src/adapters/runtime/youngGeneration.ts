import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";

/** Node 20's (V8 11's) largest new space: two semi-spaces of 16 MB. */
export const NEW_SPACE_BOUND = 32 * 1024 * 1024;

/** How many calls between two looks at the new space (a look costs ~20 microseconds). */
const CALLS_PER_LOOK = 64;

/** A young-generation setting the process was started with (command line or NODE_OPTIONS) wins. */
const OWN_SETTING = /--(?:min-|max-)?semi-space-size|--semi-space-growth-factor/;

export interface YoungGenerationRuntime {
  /**
   * Whether to leave V8's young generation alone: the process was started with a setting of its
   * own, or this V8 is older than 13 (V8 11, Node 20, holds the new space to 32 MB itself).
   */
  leaveAlone(): boolean;
  /** The new space's size now (both semi-spaces), in bytes. */
  newSpaceSize(): number;
  setFlags(flags: string): void;
}

/** Older than V8 13 (Node 20 holds its new space to 32 MB itself), or a young-generation setting given at the start. */
export function leaveYoungGenerationAlone(v8Version: string, execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return Number.parseInt(v8Version, 10) < 13 || OWN_SETTING.test(execArgv.join(" ")) || OWN_SETTING.test(nodeOptions ?? "");
}

export const V8_RUNTIME: YoungGenerationRuntime = {
  leaveAlone: () => leaveYoungGenerationAlone(process.versions.v8, process.execArgv, process.env.NODE_OPTIONS),
  newSpaceSize() {
    for (const space of getHeapSpaceStatistics()) if (space.space_name === "new_space") return space.space_size;
    return 0;
  },
  setFlags: setFlagsFromString,
};

/**
 * A function to call often while a scan allocates (diskFileSource calls it for every file it
 * reads): on V8 13 and later (Node 24, the Action's runtime) it keeps V8's new space at most
 * Node 20's largest, 32 MB.
 *
 * V8 13 lets each of the new space's two semi-spaces grow to 64 MB, V8 11 (Node 20) to 16 MB: for
 * the same scan Node 24 held 96 MB more young generation, and peaked at 425-611 MB on the
 * real-shaped 50,000-model project against Node 20's 319-329 MB (BENCHMARKS.md, findings 19, 22
 * and 26). `--max-semi-space-size` would bound it but is read only when the heap is made (a
 * process-wide setting the Action cannot give itself); `--semi-space-growth-factor` is read each
 * time V8 grows the new space, so it takes effect when set at run time. Set to 1 from the start
 * (finding 19) the new space stays at its first 1-2 MB and every scavenge promotes more: 9-13% more
 * CPU. Here it is set to 1 only once the new space has grown to the bound (V8 grows it by doubling,
 * 16 -> 32 MB, and this looks at it every 64 files, long before the next doubling's survivors
 * accumulate), and back to V8's default, 2, should V8 shrink it below the bound: what
 * `--max-semi-space-size=16` does. Left alone on older V8s (Node 20 holds the bound itself, and
 * measured more CPU with this set) and when the process was started with a setting of its own.
 */
export function createYoungGenerationBound(runtime: YoungGenerationRuntime = V8_RUNTIME, callsPerLook = CALLS_PER_LOOK): () => void {
  let left = 0;
  let bounded = false;
  let leaveAlone: boolean | undefined;
  return () => {
    if (--left > 0) return;
    left = callsPerLook;
    leaveAlone ??= runtime.leaveAlone();
    if (leaveAlone) return;
    const bound = runtime.newSpaceSize() >= NEW_SPACE_BOUND;
    if (bound === bounded) return;
    runtime.setFlags(bound ? "--semi-space-growth-factor=1" : "--semi-space-growth-factor=2");
    bounded = bound;
  };
}

/** The process's one bound (see createYoungGenerationBound). */
export const boundYoungGeneration: () => void = createYoungGenerationBound();

/**
 * Before a worker thread is made: its heap starts with semi-spaces of `semiSpaceMb` (V8 holds them
 * to the worker's own young-generation limit). V8's flags are the process's, not a thread's: made
 * after the bound above set the growth factor to 1, a worker's new space would stay at its first
 * 1 MB semi-spaces (Node 24, the real-shaped 50,000-model project: 1,078 young collections on the
 * properties worker against 268 with the factor left alone, and ~80 ms more of its CPU at 10,000).
 * `--min-semi-space-size` is read when a heap is made, so only heaps made later (workers) see it.
 */
export function startWorkerHeapsAt(semiSpaceMb: number, runtime: YoungGenerationRuntime = V8_RUNTIME): void {
  if (runtime.leaveAlone()) return;
  runtime.setFlags(`--min-semi-space-size=${semiSpaceMb}`);
}
