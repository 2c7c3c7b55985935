import { createCsvParser } from "./csvParser.js";
import type { CsvProfile } from "./csvProfile.js";
import { createCsvProfiler } from "./csvProfiler.js";
import type { NullPolicy } from "./nullPolicy.js";
import type { TrackingBudget } from "./trackingBudget.js";

/**
 * Profiles CSV text that arrives in pieces (a file's decoded chunks, or one string in tests).
 * Memory is bounded by one record and the tracking budget, however many pieces there are.
 */
export function createCsvTextProfiler(options: Parameters<typeof createCsvProfiler>[0]) {
  const profiler = createCsvProfiler(options);
  const parser = createCsvParser(profiler.record);
  return {
    feed: (text: string) => parser.feed(text),
    /** Ends the input; throws a CsvFormatError naming the line for a file that cannot be loaded. */
    finish(): CsvProfile {
      parser.end();
      return profiler.finish({ bom: parser.bom, lineEndings: parser.lineEndings });
    },
  };
}

/** One string, for tests and small inputs. */
export function profileCsvText(text: string, nullPolicy: NullPolicy = "csv", budget?: TrackingBudget): CsvProfile {
  const profiler = createCsvTextProfiler({ nullPolicy, budget });
  profiler.feed(text);
  return profiler.finish();
}
