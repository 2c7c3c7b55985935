import { UserError } from "../userError.js";

/**
 * A CSV file that cannot be loaded as it is (ragged rows, a stray quote, invalid UTF-8, no rows).
 * It names the 1-based physical line, as an editor shows it, so the user can go and fix it.
 */
export class CsvFormatError extends UserError {
  constructor(
    readonly line: number | null,
    readonly reason: string,
    readonly file: string | null = null,
  ) {
    super(`${file === null ? "" : `${file}: `}${line === null ? "" : `line ${line}: `}${reason}`);
    this.name = "CsvFormatError";
  }

  /** The same error, naming the file. */
  inFile(file: string): CsvFormatError {
    return new CsvFormatError(this.line, this.reason, file);
  }
}
