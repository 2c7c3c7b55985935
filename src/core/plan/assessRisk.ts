import type { Risk, RiskLevel } from "./types.js";

/** Models that many others read are worth a second look: a wrong result spreads. */
export const MANY_DEPENDENTS = 3;

/**
 * The risk of bringing one model back into the warehouse. Points: a table creates data (1), an
 * incremental or microbatch model keeps data between runs (2); no tests (1, except for ephemeral
 * models, which create nothing); many dependents (1). 0 is low, 1–2 medium, 3 or more high.
 */
export function assessRisk(model: { materialization: string; tests: number; dependents: number; known: boolean }): Risk {
  if (!model.known) return { level: "high", reasons: ["dbt did not report this model, so what it creates is unknown"] };
  const reasons: string[] = [];
  let points = 0;
  switch (model.materialization) {
    case "ephemeral":
      reasons.push("ephemeral: creates nothing in the warehouse");
      break;
    case "view":
      reasons.push("view: holds no data and is replaced in place");
      break;
    case "table":
      points += 1;
      reasons.push("table: creates data (rebuilt on every run)");
      break;
    case "incremental":
      points += 2;
      reasons.push("incremental: keeps data between runs; undoing a bad run needs a rebuild (--full-refresh)");
      break;
    case "microbatch":
      points += 2;
      reasons.push("microbatch: keeps data between runs and loads history batch by batch (plan a backfill)");
      break;
    default:
      points += 2;
      reasons.push(`${model.materialization}: a materialization dbt-unskip does not know; treat it as creating data`);
  }
  if (model.tests === 0 && model.materialization !== "ephemeral") {
    points += 1;
    reasons.push("no dbt tests: a wrong result would go unnoticed");
  }
  if (model.dependents >= MANY_DEPENDENTS) {
    points += 1;
    reasons.push(`${model.dependents} models depend on it`);
  }
  return { level: levelOf(points), reasons };
}

function levelOf(points: number): RiskLevel {
  return points === 0 ? "low" : points <= 2 ? "medium" : "high";
}

const ORDER: RiskLevel[] = ["low", "medium", "high"];

export function highestRisk(levels: RiskLevel[]): RiskLevel {
  return levels.reduce<RiskLevel>((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), "low");
}
