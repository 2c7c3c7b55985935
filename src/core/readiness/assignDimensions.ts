import { boundedGlobs, boundedRegex } from "../config/boundedPattern.js";
import type { UnskipConfig } from "../config/unskipConfig.js";
import type { ModelNode } from "../project/buildProject.js";
import { isPlainName } from "../plainName.js";

/** A state document as readiness needs it (the parser gives more). */
export interface StateDocumentInput {
  /** Path relative to the repository root. */
  path: string;
  /** The dimension, from the document's folder name (`dimensions/dim_user/...`). */
  dimension: string;
  status: string | null;
  /** `line`: of the entry that names the model in the document, when known. */
  pausedModels: { name: string; location: string | null; missing: { name: string; expectedFrom: string | null }[]; line?: number }[];
}

export interface DimensionAssignment {
  dimension: string | null;
  from: "state-document" | "tag" | "path" | null;
}

/**
 * Assigns each model its dimension: the state document that lists it, then a tag naming a known
 * dimension (or matching the configured pattern), then a configured path glob.
 */
export function createDimensionAssigner(config: Pick<UnskipConfig, "dimensionTagPattern" | "dimensions">, documents: readonly StateDocumentInput[]): (model: ModelNode) => DimensionAssignment {
  const byDocument = new Map<string, string>();
  for (const doc of documents) {
    for (const paused of doc.pausedModels) {
      if (!byDocument.has(paused.name)) byDocument.set(paused.name, doc.dimension);
      if (paused.location) byDocument.set(`path:${normalize(paused.location)}`, doc.dimension);
    }
  }
  const known = new Set([...documents.map((d) => d.dimension), ...Object.keys(config.dimensions)]);
  // Linear-time engines: the pattern and globs may come from a pull request's own config file.
  const tagPattern = boundedRegex(config.dimensionTagPattern);
  const globs = Object.entries(config.dimensions).map(([name, { paths }]) => ({
    name,
    match: boundedGlobs(paths, { dot: true }),
  }));

  return (model) => {
    if (model.state !== "active") {
      const fromDoc = byDocument.get(`path:${normalize(model.file)}`) ?? byDocument.get(model.name);
      if (fromDoc) return { dimension: fromDoc, from: "state-document" };
    }
    const tag = model.tags.find((t) => known.has(t)) ?? model.tags.find((t) => isPlainName(t) && tagPattern.test(t));
    if (tag) return { dimension: tag, from: "tag" };
    const glob = globs.find((g) => g.match.test(model.file));
    if (glob) return { dimension: glob.name, from: "path" };
    return { dimension: null, from: null };
  };
}

// What a dimension name may hold (as in state documents, config and chat-ops): a tag matching the
// pattern with anything else (a newline, a space, a slash) never becomes one; `refusedDimensionTags`
// names it so the report can say why.

/** For a model, its tags that match the dimension tag pattern but are not a valid dimension name. */
export function refusedDimensionTags(config: Pick<UnskipConfig, "dimensionTagPattern">): (model: ModelNode) => string[] {
  const tagPattern = boundedRegex(config.dimensionTagPattern); // compiled once, not per model
  return (model) => model.tags.filter((t) => !isPlainName(t) && tagPattern.test(t));
}

// State documents write locations relative to the dbt project, sometimes with `./` or backslashes.
function normalize(path: string): string {
  return path.replace(/\\/g, "/").replace(/^\.\//, "");
}
