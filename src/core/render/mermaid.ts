/**
 * Mermaid flowcharts of what blocks what. Every name from the repository goes through
 * `mermaidText`, and node ids are generated (`n0`, `n1`, …), so no model name can end a label, start
 * a directive, close the Markdown fence around the diagram or become HTML.
 *
 * Large projects: a diagram keeps at most `limits.nodes` nodes (GitHub renders far more, but a
 * picture of a thousand boxes is unreadable) and says in a "+N more" node and in `omitted` what it
 * left out; the caller says where to see everything.
 */

export interface DiagramLimits {
  /** Nodes at most (the "+N more" nodes included). */
  nodes: number;
  /** Root causes shown at most. */
  causes: number;
  /** Models shown under one parent at most; the rest become one "+N more" node. */
  perParent: number;
  /** Characters of a name kept in a label. */
  label: number;
}

export const DEFAULT_LIMITS: DiagramLimits = { nodes: 60, causes: 8, perParent: 5, label: 48 };

export type NodeKind = "cause" | "blocked" | "ready" | "restored" | "provided" | "more" | "paused";

const CLASS_DEFS: Record<NodeKind, string> = {
  cause: "fill:#ffebe9,stroke:#cf222e,color:#1f2328",
  blocked: "fill:#fff8c5,stroke:#9a6700,color:#1f2328",
  ready: "fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
  restored: "fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
  provided: "fill:#ddf4ff,stroke:#0969da,color:#1f2328",
  paused: "fill:#f6f8fa,stroke:#8c959f,color:#1f2328",
  more: "fill:#ffffff,stroke:#8c959f,stroke-dasharray:4 3,color:#59636e",
};

/**
 * A label's text for inside `id["…"]`: letters, digits, space and `_ . , + ( ) - /` as they are, every other
 * character as Mermaid's entity code `#N;` (so `"`, `#`, `;`, backticks, `<`, `%`, square brackets and line
 * breaks cannot act), cut to `max` characters with an ellipsis.
 */
export function mermaidText(text: string, max = DEFAULT_LIMITS.label): string {
  const chars = [...(text.trim() === "" ? "(no name)" : text.replace(/\s+/g, " "))];
  const kept = chars.length > max ? [...chars.slice(0, Math.max(1, max - 1)), "…"] : chars;
  return kept.map((c) => (/^[A-Za-z0-9 _.,+()/-]$/.test(c) ? c : `#${c.codePointAt(0)};`)).join("");
}

/** Builds one flowchart: nodes by key, edges once each, within the node cap. */
export class Flowchart {
  private readonly ids = new Map<string, string>();
  private readonly lines: string[] = [];
  private readonly edges = new Set<string>();
  private readonly used = new Set<NodeKind>();
  constructor(
    readonly limits: DiagramLimits = DEFAULT_LIMITS,
    private readonly direction: "LR" | "TD" = "LR",
  ) {}

  get size(): number {
    return this.ids.size;
  }
  /** Room for `n` more nodes. */
  hasRoom(n = 1): boolean {
    return this.ids.size + n <= this.limits.nodes;
  }
  has(key: string): boolean {
    return this.ids.has(key);
  }
  /** The id of a node already added, else null. */
  idOf(key: string): string | null {
    return this.ids.get(key) ?? null;
  }
  /** Adds a node (once per key); `lines` are shown one under the other. Returns its id, or null when full. */
  node(key: string, kind: NodeKind, lines: readonly string[]): string | null {
    const known = this.ids.get(key);
    if (known) return known;
    if (!this.hasRoom()) return null;
    const id = `n${this.ids.size}`;
    this.ids.set(key, id);
    this.used.add(kind);
    const label = lines.map((l, i) => (i === 0 ? mermaidText(l, this.limits.label) : `<small>${mermaidText(l, this.limits.label)}</small>`)).join("<br/>");
    this.lines.push(`  ${id}["${label}"]:::${kind}`);
    return id;
  }
  edge(from: string | null, to: string | null, dashed = false): void {
    if (!from || !to || from === to) return;
    const line = `  ${from} ${dashed ? "-.->" : "-->"} ${to}`;
    if (this.edges.has(line)) return;
    this.edges.add(line);
    this.lines.push(line);
  }
  /** A subgraph title line and its end, around nodes added by `body`. */
  group(title: string, body: () => void): void {
    const id = `g${this.lines.length}`;
    const at = this.lines.length;
    body();
    if (this.lines.length === at) return;
    this.lines.splice(at, 0, `  subgraph ${id}["${mermaidText(title, 80)}"]`);
    this.lines.push("  end", `  style ${id} fill:#ffffff,stroke:#8c959f`);
  }
  toString(): string {
    const defs = [...this.used].sort().map((k) => `  classDef ${k} ${CLASS_DEFS[k]}`);
    return `${[`flowchart ${this.direction}`, ...this.lines, ...defs].join("\n")}\n`;
  }
}

/** The diagram in a Markdown fence (GitHub draws `mermaid` fences). The text has no backtick to close it. */
export function mermaidBlock(diagram: string): string {
  return `\`\`\`mermaid\n${diagram}\`\`\``;
}

export interface Omitted {
  /** What was left out, as a sentence fragment ("3 of 11 root causes, 40 models"); empty when nothing. */
  text: string;
  count: number;
}

export function omittedNote(parts: readonly [number, string][]): Omitted {
  const shown = parts.filter(([n]) => n > 0);
  return { text: shown.map(([n, what]) => `${n} ${what}`).join(", "), count: shown.reduce((s, [n]) => s + n, 0) };
}
