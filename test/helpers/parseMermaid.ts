import { JSDOM } from "jsdom";

type Mermaid = typeof import("mermaid").default;
let loaded: Promise<Mermaid> | null = null;

/**
 * The real `mermaid` library, loaded once in a jsdom window (it needs a DOM even to parse), with
 * GitHub's settings: strict security, and mermaid's own limits on text size and edges.
 */
export function loadMermaid(): Promise<Mermaid> {
  loaded ??= (async () => {
    const dom = new JSDOM("<!doctype html><html><body></body></html>");
    const g = globalThis as Record<string, unknown>;
    g.window ??= dom.window;
    g.document ??= dom.window.document;
    g.DOMParser ??= dom.window.DOMParser;
    const mermaid = (await import("mermaid")).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", maxTextSize: 50_000, maxEdges: 500 });
    return mermaid;
  })();
  return loaded;
}

/** Parses a diagram with mermaid; throws mermaid's own error (with the diagram) when it does not parse. */
export async function parseMermaid(diagram: string): Promise<string> {
  const mermaid = await loadMermaid();
  try {
    const result = await mermaid.parse(diagram);
    if (!result) throw new Error("mermaid.parse returned false");
    return result.diagramType;
  } catch (error) {
    throw new Error(`mermaid could not parse:\n${diagram}\n${String(error)}`);
  }
}

/** Every ```mermaid fence in a Markdown body. */
export function mermaidFences(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}
