import { CsvFormatError } from "./csvFormatError.js";

/**
 * Receives one record. `fields` and `quoted` are reused for the next record: copy what you keep.
 * `quoted[i]` says whether field i was enclosed in quotes (`""` is an empty string, an empty
 * unquoted field is a null). `line` is the physical line the record starts on; `fieldLines[i]` the
 * line field i starts on (later than `line` after a quoted field that holds line breaks).
 */
export type CsvRecordSink = (fields: readonly string[], quoted: readonly boolean[], line: number, fieldLines: readonly number[]) => void;

export interface CsvParser {
  /** Parses the next piece of text; records are emitted as soon as they are complete. */
  feed(text: string): void;
  /** The input is over: emits the last record, or throws when a quoted field never closed. */
  end(): void;
  /** Whether the text began with a byte order mark (it is not part of the first header). */
  readonly bom: boolean;
  /** Records ended by `\n` and by `\r\n`, and the first line ended by each (0: none). */
  readonly lineEndings: { lf: number; crlf: number; firstLf: number; firstCrlf: number };
}

/** One field may not grow past this: a runaway quote must not take all memory. */
export const MAX_FIELD_CHARS = 16 * 1024 * 1024;

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
const AFTER_CR = 4;

/**
 * A streaming RFC 4180 parser: comma-separated, `"` quotes, `""` an escaped quote, records ended
 * by LF or CRLF, newlines allowed inside quoted fields. It is strict where loaders disagree (a
 * quote inside an unquoted field, text after a closing quote, a bare CR, a NUL), because DuckDB,
 * Postgres and Snowflake would each read such a file differently; it refuses and names the line.
 * Text may arrive in pieces cut anywhere; state carries over, so memory is one field plus one record.
 */
export function createCsvParser(onRecord: CsvRecordSink, options: { maxFieldChars?: number } = {}): CsvParser {
  const maxField = options.maxFieldChars ?? MAX_FIELD_CHARS;
  const fields: string[] = [];
  const quoted: boolean[] = [];
  const fieldLines: number[] = [];
  let fieldLine = 1;
  let state = FIELD_START;
  let field = "";
  let fieldQuoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let started = false;
  let bom = false;
  const lineEndings = { lf: 0, crlf: 0, firstLf: 0, firstCrlf: 0 };

  const append = (text: string, from: number, to: number) => {
    if (to <= from) return;
    field += text.slice(from, to);
    if (field.length > maxField) {
      throw new CsvFormatError(recordLine, `a field is longer than ${maxField.toLocaleString("en-US")} characters (a quote that never closes?)`);
    }
  };
  const endField = () => {
    fields.push(field);
    quoted.push(fieldQuoted);
    fieldLines.push(fieldLine);
    fieldLine = line;
    field = "";
    fieldQuoted = false;
  };
  const endRecord = () => {
    onRecord(fields, quoted, recordLine, fieldLines);
    fields.length = 0;
    quoted.length = 0;
    fieldLines.length = 0;
  };
  const newLine = () => {
    line++;
    recordLine = line;
    fieldLine = line;
  };
  /** After a field (unquoted, or its closing quote): a comma, LF or CR ends it; false for anything else. */
  const endFieldAt = (c: number): boolean => {
    if (c === COMMA) {
      endField();
      state = FIELD_START;
    } else if (c === LF) {
      endField();
      endRecord();
      if (lineEndings.lf++ === 0) lineEndings.firstLf = line;
      newLine();
      state = FIELD_START;
    } else if (c === CR) {
      endField();
      state = AFTER_CR;
    } else {
      return false;
    }
    return true;
  };

  const parse = (text: string) => {
    const n = text.length;
    let i = 0;
    if (!started && n > 0) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) {
        bom = true;
        i = 1;
      }
    }
    while (i < n) {
      switch (state) {
        case FIELD_START:
          if (text.charCodeAt(i) === QUOTE) {
            state = QUOTED;
            fieldQuoted = true;
            quoteLine = line;
            i++;
          } else {
            state = UNQUOTED;
          }
          break;
        case UNQUOTED: {
          let j = i;
          while (j < n) {
            const c = text.charCodeAt(j);
            if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
            j++;
          }
          append(text, i, j);
          if (j === n) {
            i = n;
            break;
          }
          i = j + 1;
          if (!endFieldAt(text.charCodeAt(j))) {
            throw new CsvFormatError(line, `a quote inside an unquoted field (field ${fields.length + 1}); enclose the whole field in quotes and double the inner quote ("")`);
          }
          break;
        }
        case QUOTED: {
          const q = text.indexOf('"', i);
          const end = q < 0 ? n : q;
          for (let p = text.indexOf("\n", i); p !== -1 && p < end; p = text.indexOf("\n", p + 1)) line++;
          append(text, i, end);
          if (q < 0) {
            i = n;
          } else {
            state = QUOTE_IN_QUOTED;
            i = q + 1;
          }
          break;
        }
        case QUOTE_IN_QUOTED: {
          const c = text.charCodeAt(i);
          i++;
          if (c === QUOTE) {
            field += '"';
            state = QUOTED;
          } else if (!endFieldAt(c)) {
            throw new CsvFormatError(line, `text after a closing quote (field ${fields.length + 1}); a quote inside a quoted field is written as two quotes ("")`);
          }
          break;
        }
        case AFTER_CR:
          if (text.charCodeAt(i) !== LF) {
            throw new CsvFormatError(line, "a carriage return (CR) that does not end the line; lines must end with LF or CRLF");
          }
          i++;
          endRecord();
          if (lineEndings.crlf++ === 0) lineEndings.firstCrlf = line;
          newLine();
          state = FIELD_START;
          break;
      }
    }
  };

  return {
    feed(text) {
      // NUL is valid UTF-8 but no warehouse stores it in text, and it usually means a binary file.
      const nul = text.indexOf("\u0000");
      if (nul < 0) return parse(text);
      parse(text.slice(0, nul));
      throw new CsvFormatError(line, "a NUL character: this looks like a binary file, not CSV text");
    },
    end() {
      switch (state) {
        case QUOTED:
          throw new CsvFormatError(quoteLine, "a quoted field opened here is never closed");
        case UNQUOTED:
        case QUOTE_IN_QUOTED:
          endField();
          endRecord();
          break;
        case AFTER_CR:
          // A file whose last line ends in a lone CR: the record is complete.
          endRecord();
          break;
        case FIELD_START:
          // "a,b," at the very end: the trailing comma opened an empty last field.
          if (fields.length > 0) {
            endField();
            endRecord();
          }
          break;
      }
      state = FIELD_START;
    },
    get bom() {
      return bom;
    },
    lineEndings,
  };
}
