/** What `verify` found for one dbt project: the static engine measured against dbt's own manifest. */
export interface VerifyReport {
  /** The dbt project's name (dbt_project.yml). */
  project: string;
  /** The project folder relative to the repository root ("" for the root itself). */
  projectDir: string;
  models: {
    /** Model files both sides know, compared. */
    compared: number;
    /** Of those, paused (`.skip`) files, parsed by dbt under their real name, disabled. */
    paused: number;
  };
  edges: {
    /** Refs and sources both the engine and dbt found. */
    right: number;
    /** Found by the engine only (can only make a model wrongly blocked). */
    added: number;
    /** Found by dbt only (can make a model wrongly ready). */
    missed: number;
    /** Found by dbt where the engine said "dynamic" (never judged ready, so safe). */
    dynamic: number;
  };
  /** Enabled-ness of the active and disabled (not paused) model files. */
  enabled: { right: number; wrong: number };
  /** Enabled-ness of installed packages' models (what the engine counts as available to refs). */
  packageModels: { right: number; wrong: number };
  /** Every disagreement, wrongly-ready ones first, then by file and line. */
  disagreements: Disagreement[];
  /** Paused files dbt could not render (so not compared), with dbt's message. */
  unparsed: { file: string; message: string }[];
  /** How many disagreements could make a model wrongly ready / only wrongly blocked. */
  wronglyReady: number;
  wronglyBlocked: number;
}

export type DisagreementKind = "missed-edge" | "added-edge" | "wrongly-enabled" | "wrongly-disabled" | "model-unknown-to-dbt" | "model-unknown-to-engine";

export interface Disagreement {
  kind: DisagreementKind;
  /** `wrongly-ready`: the engine could call a model ready that dbt would refuse. `wrongly-blocked`: only too careful. */
  risk: "wrongly-ready" | "wrongly-blocked";
  model: string;
  /** Path relative to the repository root. */
  file: string;
  /** 1-based line, when one can be pointed at. */
  line: number | null;
  /** The dependency as written, `ref('x')`, `source('s', 't')`; null for enabled-ness. */
  dependency: string | null;
  /** Why, in words: the construct behind it. */
  reason: string;
}

/** The result of `dbt-unskip verify` over every configured project (the `--json` contract). */
export interface VerifyResult {
  /** True when no disagreement could make a model wrongly ready (exit 0). */
  safe: boolean;
  dbtVersion: string;
  projects: VerifyReport[];
}
