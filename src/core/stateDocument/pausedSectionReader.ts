import { parseDependencyItem, type DependencyItem } from "./dependencyItem.js";
import { readDependencyLabel, type DependencyListKind } from "./dependencyLabel.js";
import { parseFieldLine } from "./fieldLine.js";
import { headingCount, readListItem, type Heading } from "./markdownLine.js";
import { baseNameOf, parsePausedModelRef, type PausedModelRef } from "./pausedModelRef.js";
import { quote, type ProblemLog } from "./problemLog.js";
import type { PausedModel } from "./types.js";

interface OpenEntry {
  model: PausedModel;
  /** `### d_user.sql → ...` or `- d_user.sql.skip (missing: ...)`. */
  form: "heading" | "item";
  /** Heading level, or the list item's indent. */
  depth: number;
  /** Named by a lone word (`### d_user`): only a model if its body says so. */
  unconfirmed: boolean;
  mode: DependencyListKind | null;
  /** Indent of the current dependency list; deeper items are notes about an item, not deps. */
  listIndent: number | null;
}

const LOCATION_KEYS = new Set(["location", "path", "file", "skip file"]);

/**
 * Reads one "Paused Models" section, fed line by line by the document reader. Models are either
 * subheadings with a body of fields and dependency lists, or list items such as
 * `- d_user.sql.skip (missing: a, b)`.
 */
export class PausedSectionReader {
  private entry: OpenEntry | null = null;
  private found = 0;
  private readonly expected: number | null;

  constructor(
    heading: Heading,
    private readonly headingLine: number,
    private readonly models: PausedModel[],
    private readonly seen: Map<string, number>,
    private readonly problems: ProblemLog,
  ) {
    this.expected = headingCount(heading.text);
  }

  /** A heading deeper than the section's own. */
  heading(heading: Heading, line: number): void {
    const entry = this.entry;
    const label = entry ? readDependencyLabel(heading.text, true) : null;
    if (entry && label) {
      this.startList(entry, label.kind, label.inline);
      return;
    }
    const ref = parsePausedModelRef(heading.text);
    if (ref && (ref.fileLike || ref.bare)) {
      this.closeEntry();
      this.openEntry(ref, line, "heading", heading.level);
      return;
    }
    if (entry === null || heading.level <= entry.depth) {
      this.closeEntry();
      this.problems.add(`line ${line}: heading ${quote(heading.text)} under Paused Models names no model; kept as is`);
    }
  }

  /** A line that is not a heading; false when it is not about paused models (the caller reads it). */
  line(text: string, line: number): boolean {
    if (text.trim() === "") return true;
    const entry = this.entry;
    if (entry === null) return this.sectionLine(text, line);
    const item = readListItem(text);
    if (entry.form === "item" && (item ? item.indent <= entry.depth : !/^\s/.test(text))) {
      this.closeEntry();
      return this.sectionLine(text, line);
    }
    const field = parseFieldLine(text);
    if (field && field.key === "status") {
      entry.model.status ??= field.value;
      entry.mode = null;
      return true;
    }
    if (field && LOCATION_KEYS.has(field.key)) {
      entry.model.location ??= locationOf(field.value);
      entry.mode = null;
      return true;
    }
    // A list item is a label only with a colon (`- Missing:`); `- found` is a dependency named found.
    const label = item && !item.content.includes(":") ? null : readDependencyLabel(item ? item.content : text, false);
    if (label) {
      this.startList(entry, label.kind, label.inline);
      return true;
    }
    if (item) {
      entry.listIndent ??= item.indent;
      if (item.indent <= entry.listIndent) this.addDependency(entry, parseDependencyItem(item.content));
      return true;
    }
    // Indented text continues a list item; anything else is prose that ends the list.
    if (!/^\s/.test(text)) {
      entry.mode = null;
      entry.listIndent = null;
    }
    return true;
  }

  /** Ends the section: the last model, and a check against the heading's `(N/M)` count. */
  close(): void {
    this.closeEntry();
    if (this.expected !== null && this.expected !== this.found) {
      this.problems.add(`line ${this.headingLine}: the Paused Models heading counts ${this.expected} but ${this.found} ${this.found === 1 ? "was" : "were"} read`);
    }
  }

  private sectionLine(text: string, line: number): boolean {
    const item = readListItem(text);
    const ref = item ? parsePausedModelRef(item.content) : null;
    if (item === null || ref === null || !ref.fileLike) return false;
    this.openEntry(ref, line, "item", item.indent);
    const entry = this.entry;
    const missing = /\bmissing\s*:\s*([^)]*)/i.exec(ref.rest.slice(0, 2000));
    if (entry && missing?.[1]) this.startList(entry, "missing", missing[1]);
    return true;
  }

  private startList(entry: OpenEntry, kind: DependencyListKind, inline: string): void {
    entry.mode = kind;
    entry.listIndent = null;
    if (inline === "") return;
    for (const part of inline.split(",")) this.addDependency(entry, parseDependencyItem(part.trim()));
  }

  private addDependency(entry: OpenEntry, dep: DependencyItem | null): void {
    if (dep === null) return;
    const state = dep.marked ?? (entry.mode === "mixed" ? null : entry.mode);
    if (state === "missing") {
      entry.model.missing.push({ name: dep.name, kind: dep.kind, expectedFrom: dep.expectedFrom });
    } else if (state === "present") {
      entry.model.present.push(dep.name);
    }
  }

  private openEntry(ref: PausedModelRef, line: number, form: OpenEntry["form"], depth: number): void {
    const model: PausedModel = {
      name: ref.name,
      file: ref.file,
      location: null,
      status: null,
      missing: [],
      present: [],
      line,
    };
    this.entry = { model, form, depth, unconfirmed: !ref.fileLike, mode: null, listIndent: null };
  }

  private closeEntry(): void {
    const entry = this.entry;
    if (entry === null) return;
    this.entry = null;
    const { model } = entry;
    if (entry.unconfirmed) {
      const described = model.location !== null || model.status !== null || model.missing.length > 0 || model.present.length > 0;
      if (!described) {
        this.problems.add(`line ${model.line}: ${quote(model.name)} under Paused Models has no file, location or dependencies; not read as a paused model`);
        return;
      }
      if (model.location !== null) model.file = baseNameOf(model.location);
    }
    const earlier = this.seen.get(model.name);
    // A later Paused Models section (a pause appended to the document) may list a model again: the
    // document is a log of pauses. Twice in one section is a mistake.
    if (earlier !== undefined && earlier > this.headingLine) {
      this.problems.add(`line ${model.line}: paused model ${quote(model.name)} is listed again (first on line ${earlier})`);
    } else {
      this.seen.set(model.name, model.line);
    }
    this.models.push(model);
    this.found++;
  }
}

/** `` `models/gold/d_user.sql.skip` (moved) `` → the path inside the first code span. */
function locationOf(value: string): string | null {
  const open = value.indexOf("`");
  const close = open >= 0 ? value.indexOf("`", open + 1) : -1;
  const path = (close > open ? value.slice(open + 1, close) : value).trim();
  return path === "" ? null : path;
}
