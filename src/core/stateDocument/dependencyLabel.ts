import { normalizeLabel, stripEmoji } from "./markdownLine.js";

export type DependencyListKind = "missing" | "present" | "mixed";

export interface DependencyLabel {
  kind: DependencyListKind;
  /** Text after the colon (`**Missing Dependencies**: a, b`), else empty. */
  inline: string;
}

const MISSING = /^(?:missing|still missing|blocked by|blocking|waiting (?:on|for)|unresolved|unavailable|not available)(?: |$)/;
const PRESENT = /^(?:has|have|present|available|satisfied|resolved|found|existing|met)(?: |$)/;
const MIXED = /^(?:dependencies|deps|dependency status|refs|references)$/;

/**
 * Recognises the label that opens a dependency list: `**Missing Dependencies**:`,
 * `**Has Dependencies** (2/3):`, `Missing:`, `#### Missing Dependencies`. Without a colon (and not a
 * heading) only a short label counts, so prose that happens to start with "Missing" does not.
 */
export function readDependencyLabel(text: string, isHeading: boolean): DependencyLabel | null {
  // Only `**` goes: `__` belongs to names such as `stg_stripe__payments` in an inline list.
  const plain = stripEmoji(text).replace(/\*\*/g, "").trim();
  const colon = plain.indexOf(":");
  const label = normalizeLabel(colon >= 0 ? plain.slice(0, colon) : plain);
  if (label.length > 40) return null;
  if (colon < 0 && !isHeading && label.split(" ").length > 3) return null;
  const kind: DependencyListKind | null = MISSING.test(label) ? "missing" : PRESENT.test(label) ? "present" : MIXED.test(label) ? "mixed" : null;
  if (kind === null) return null;
  return { kind, inline: colon >= 0 ? plain.slice(colon + 1).trim() : "" };
}
