// Shapes of a migration state document as read by the lenient parser. The parsed fields are a view;
// `source` is the document itself, kept line by line so it can be written back byte for byte.

export type LineEnding = "" | "\n" | "\r\n" | "\r";

/** One line of the document without its terminator, and the terminator exactly as found. */
export interface SourceLine {
  text: string;
  /** Empty only on a last line that has no terminator. */
  eol: LineEnding;
}

export interface SourceText {
  /** The text started with a UTF-8 byte order mark (U+FEFF), which is not part of line 1. */
  bom: boolean;
  lines: SourceLine[];
}

/** The document-level status line, e.g. `**Status**: PAUSED - Awaiting Dependencies`. */
export interface StatusLine {
  /** The value as written, without surrounding emphasis or code markers. */
  value: string;
  /** 1-based line number. */
  line: number;
  /** UTF-16 offsets of `value` inside that line's text; the writer replaces exactly this range. */
  start: number;
  end: number;
}

export interface MissingDependency {
  /** A model name, or `source.table` for a source. */
  name: string;
  kind: "ref" | "source";
  /** The dimension expected to provide it (`(from dim_contract)`), else null. */
  expectedFrom: string | null;
}

export interface PausedModel {
  /** Model name without directories or extensions, e.g. `d_user`. */
  name: string;
  /**
   * The file as the document names it: the part before the arrow in `d_user.sql → d_user.sql.skip`,
   * else the only name given; for a bare `### d_user` the file name of its location, when known.
   */
  file: string;
  /** The `**Location**:` path, without backticks, else null. */
  location: string | null;
  /** The model's own status line value, else null. */
  status: string | null;
  missing: MissingDependency[];
  present: string[];
  /** 1-based line of the heading or list item that names the model. */
  line: number;
}

export interface Section {
  /** Heading text as written, without the `#` markers. */
  heading: string;
  level: number;
  line: number;
}

export interface RestartLog {
  heading: string;
  line: number;
  /** The `**Restart Date**:` value, else null. */
  date: string | null;
}

/** A code fence or HTML comment still open at the end of the text; appended text would fall inside. */
export interface OpenBlock {
  /** The line that closes it (e.g. three backticks, or `-->`). */
  closer: string;
  /** 1-based line where it opened. */
  line: number;
}

export interface StateDocument {
  source: SourceText;
  /** The first level-1 heading, as written. */
  title: string | null;
  /** `dim_user` from a title like `# dim_user Migration State`, else null. */
  dimension: string | null;
  status: StatusLine | null;
  migrationId: string | null;
  date: string | null;
  branch: string | null;
  pausedModels: PausedModel[];
  /** Body of the Resume Instructions section, lines joined with `\n`, blank edges trimmed. */
  resumeInstructions: string | null;
  restartLogs: RestartLog[];
  /** Every heading outside code blocks, in order, known or not. */
  sections: Section[];
  openBlock: OpenBlock | null;
  /** Things a person should know (`line N: ...`); never fatal. */
  problems: string[];
  /** False when the text has neither a paused-models section nor a status line. */
  recognized: boolean;
}

/** What a restore did, for the state document's Restart Log. */
export interface RestartUpdate {
  /** YYYY-MM-DD. */
  date: string;
  /** File names brought back, e.g. `d_user.sql`. */
  resumed: string[];
  /** Models left paused and what each still misses. */
  stillPaused: { file: string; missing: string[] }[];
  nextAction: string;
}
