import type { CsvProfile } from "../core/csv/csvProfile.js";
import type { NullPolicy } from "../core/csv/nullPolicy.js";
import type { LocalFiles } from "./localFiles.js";

/** A CSV profiled, with its size and modification time then, to notice a file that changes before it is copied. */
export interface CsvFileProfile {
  profile: CsvProfile;
  size: number;
  mtimeMs: number;
}

/** One file generate writes: text (with its permission bits), or a copy of another file byte for byte (a seed's CSV, which may be large). */
export type FileToWrite = { path: string; content: string; mode?: number | undefined } | { path: string; copyFrom: string };

/**
 * The file work of `dbt-unskip generate`, as ports: the entry point hands in the real ones
 * (`localGeneratePorts`, adapters/localGeneratePorts.ts) once; a test may stand in
 * (test/helpers/memoryGeneratePorts.ts).
 */
export interface GeneratePorts {
  /** The machine's files: the project read, the layout checked (names taken, folders that are links), the CSV's size and time before writing. */
  disk: LocalFiles;
  /**
   * Profiles the CSV at `path` (absolute) in one pass, refusing (a UserError or CsvFormatError naming
   * `display` and the line) a file that cannot be loaded; `headerCheck` refuses column names before
   * any row is read.
   */
  profileCsv: (input: { path: string; display: string; nullPolicy: NullPolicy; headerCheck: (names: readonly string[]) => string | null; signal?: AbortSignal | undefined }) => Promise<CsvFileProfile>;
  /**
   * Writes new files all or none: every one complete before any is in place, `beforeCommit` asked
   * last (its throw writes nothing), never overwriting a file; any failure leaves nothing behind.
   */
  writeNewFiles: (files: readonly FileToWrite[], options: { beforeCommit?: () => Promise<void>; signal?: AbortSignal | undefined }) => Promise<void>;
}
