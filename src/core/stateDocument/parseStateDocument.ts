import { parseFieldLine } from "./fieldLine.js";
import { closesFence, MAY_OPEN_BLOCK, normalizeLabel, opensHtmlComment, readFence, readHeading, stripEmoji, type Fence, type Heading } from "./markdownLine.js";
import { PausedSectionReader } from "./pausedSectionReader.js";
import { ProblemLog } from "./problemLog.js";
import { splitSourceText } from "./sourceText.js";
import type { OpenBlock, SourceText, StateDocument } from "./types.js";
import { isPlainName } from "../plainName.js";

const PAUSED = /^(?:paused|skipped|on hold)(?: |$)|^models (?:paused|skipped)(?: |$)/;
const RESUME = /^(?:resume|resuming|to resume|how to resume)(?: |$)/;
const RESTART_LOG = /^restart log(?: |$)/;
const STATUS_KEYS = new Set(["status", "overall status", "migration status"]);
const MIGRATION_ID_KEYS = new Set(["migration id", "migration"]);
const DATE_KEYS = new Set(["date", "pause date", "paused on"]);
const BRANCH_KEYS = new Set(["branch", "git branch"]);
const RESTART_DATE_KEYS = new Set(["restart date", "date"]);

/**
 * Reads a migration state document, however it was written. Never throws and runs in linear time:
 * the text may come from a pull request. Whatever cannot be read is reported in `problems`, and the
 * text itself is kept in `source` so that `writeStateDocument` gives it back unchanged.
 */
export function parseStateDocument(text: string): StateDocument {
  const source = splitSourceText(text);
  try {
    return new DocumentReader(source).read();
  } catch (error) {
    // A reader bug must not take the whole report down; an unrecognized document is never edited.
    const unread = new DocumentReader(source).empty();
    unread.problems = [`the state document could not be read: ${error instanceof Error ? error.message : String(error)}`];
    return unread;
  }
}

class DocumentReader {
  private readonly doc: StateDocument;
  private readonly problems = new ProblemLog();
  /** Model name → line of its first entry, across all paused sections. */
  private readonly seen = new Map<string, number>();
  private region: "doc" | "paused" | "resume" | "restart" = "doc";
  private regionLevel = 0;
  private paused: PausedSectionReader | null = null;
  private pausedSections = 0;
  private resumeBody: string[] | null = null;
  private fence: (Fence & { line: number }) | null = null;
  private comment: number | null = null;

  constructor(source: SourceText) {
    this.doc = {
      source,
      title: null,
      dimension: null,
      status: null,
      migrationId: null,
      date: null,
      branch: null,
      pausedModels: [],
      resumeInstructions: null,
      restartLogs: [],
      sections: [],
      openBlock: null,
      problems: [],
      recognized: false,
    };
  }

  /** The document with nothing read from it. */
  empty(): StateDocument {
    return this.doc;
  }

  read(): StateDocument {
    const { doc } = this;
    const { lines } = doc.source;
    for (let index = 0; index < lines.length; index++) this.readLine(lines[index]!.text, index + 1);
    this.closeRegion();
    doc.openBlock = this.openBlock();
    if (doc.openBlock !== null) {
      const what = this.fence !== null ? "code block" : "HTML comment";
      this.problems.add(`line ${doc.openBlock.line}: this ${what} is never closed`);
    }
    doc.dimension = doc.title === null ? null : dimensionOf(doc.title);
    doc.recognized = this.pausedSections > 0 || doc.status !== null;
    if (doc.recognized && doc.status === null) {
      this.problems.add("no status line (such as `**Status**: PAUSED - Awaiting Dependencies`) was found");
    }
    if (doc.recognized && this.pausedSections === 0) this.problems.add("no Paused Models section was found");
    const invalid = doc.source.lines.findIndex((l) => l.text.includes("\uFFFD"));
    if (invalid >= 0) {
      this.problems.add(`line ${invalid + 1}: U+FFFD replacement characters: the file may not be valid UTF-8`);
    }
    doc.problems = this.problems.list();
    return doc;
  }

  private readLine(raw: string, line: number): void {
    // Inside code and comments nothing is structure, but the resume body keeps it verbatim.
    if (this.fence !== null) {
      if (closesFence(raw, this.fence)) this.fence = null;
      this.resumeBody?.push(raw);
      return;
    }
    if (this.comment !== null) {
      if (raw.includes("-->")) this.comment = null;
      this.resumeBody?.push(raw);
      return;
    }
    // A fence, comment or heading starts (after spaces) with one of these; most lines do not.
    if (!MAY_OPEN_BLOCK.test(raw)) {
      this.onLine(raw, line);
      return;
    }
    const opened = readFence(raw);
    if (opened !== null || opensHtmlComment(raw)) {
      if (opened !== null) this.fence = { ...opened, line };
      else this.comment = line;
      this.resumeBody?.push(raw);
      return;
    }
    const heading = readHeading(raw);
    if (heading !== null) this.onHeading(heading, raw, line);
    else this.onLine(raw, line);
  }

  private onHeading(heading: Heading, raw: string, line: number): void {
    const { doc } = this;
    doc.sections.push({ heading: heading.text, level: heading.level, line });
    if (heading.level === 1 && doc.title === null) doc.title = heading.text;
    const label = normalizeLabel(heading.text);
    const isRestartLog = RESTART_LOG.test(label);
    // A Restart Log always ends a paused section, even one written at a deeper level.
    if (this.region !== "doc" && (heading.level <= this.regionLevel || isRestartLog)) this.closeRegion();
    if (isRestartLog) {
      this.enter("restart", heading.level);
      doc.restartLogs.push({ heading: heading.text, line, date: null });
    } else if (this.region === "doc" && PAUSED.test(label)) {
      this.enter("paused", heading.level);
      this.pausedSections++;
      this.paused = new PausedSectionReader(heading, line, doc.pausedModels, this.seen, this.problems);
    } else if (this.region === "doc" && RESUME.test(label)) {
      this.enter("resume", heading.level);
      this.resumeBody = [];
    } else if (this.region === "paused") {
      this.paused?.heading(heading, line);
    } else {
      this.resumeBody?.push(raw);
    }
  }

  private onLine(raw: string, line: number): void {
    if (this.region === "resume") {
      this.resumeBody?.push(raw);
    } else if (this.region === "restart") {
      const log = this.doc.restartLogs[this.doc.restartLogs.length - 1];
      const field = parseFieldLine(raw);
      if (log && log.date === null && field && field.value !== "" && RESTART_DATE_KEYS.has(field.key)) {
        log.date = field.value;
      }
    } else if (this.region === "paused") {
      // Lines before the first model (a status line, prose) belong to the document.
      if (!this.paused?.line(raw, line)) this.onDocumentField(raw, line);
    } else {
      this.onDocumentField(raw, line);
    }
  }

  private onDocumentField(raw: string, line: number): void {
    const { doc } = this;
    const field = parseFieldLine(raw);
    if (field === null || field.value === "") return;
    if (STATUS_KEYS.has(field.key)) {
      if (doc.status === null) doc.status = { value: field.value, line, start: field.start, end: field.end };
      else this.problems.add(`line ${line}: another status line; the one on line ${doc.status.line} is the one read`);
    } else if (MIGRATION_ID_KEYS.has(field.key)) {
      doc.migrationId ??= field.value;
    } else if (DATE_KEYS.has(field.key)) {
      doc.date ??= field.value;
    } else if (BRANCH_KEYS.has(field.key)) {
      doc.branch ??= field.value;
    }
  }

  private enter(region: "paused" | "resume" | "restart", level: number): void {
    this.region = region;
    this.regionLevel = level;
  }

  private closeRegion(): void {
    this.paused?.close();
    this.paused = null;
    if (this.resumeBody !== null) this.doc.resumeInstructions ??= trimBlankLines(this.resumeBody);
    this.resumeBody = null;
    this.region = "doc";
  }

  private openBlock(): OpenBlock | null {
    if (this.fence !== null) return { closer: this.fence.char.repeat(this.fence.length), line: this.fence.line };
    if (this.comment !== null) return { closer: "-->", line: this.comment };
    return null;
  }
}

/** `dim_user Migration State` or `Migration State: dim_user` → `dim_user`. */
function dimensionOf(title: string): string | null {
  // `__` is left alone: dbt names use it (`dim_stripe__users`).
  const plain = stripEmoji(title)
    .replace(/\*\*|`/g, "")
    .trim();
  const match = /^(\S+)\s+migration\s+state(?:\s|$)/i.exec(plain) ?? /^migration\s+state\s*[:\-–—]\s*(\S+)$/i.exec(plain);
  const name = match?.[1];
  return name !== undefined && isPlainName(name) ? name : null;
}

function trimBlankLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? "").trim() === "") start++;
  while (end > start && (lines[end - 1] ?? "").trim() === "") end--;
  return lines.slice(start, end).join("\n");
}
