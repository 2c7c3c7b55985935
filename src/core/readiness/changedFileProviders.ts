import { classifyModelFile } from "../project/modelFileName.js";
import type { ChangedFile, ChangeStatus, DependencyRef } from "./readinessDiff.js";

// Which changed file of a PR is responsible for a dependency appearing or disappearing. Only file
// names and the sources the changed YAML files declare are looked at: no file content is needed.

/** The model name a ref points at (`pkg.model` → `model`). */
function refTarget(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1);
}

const PREFERENCE: Record<ChangeStatus, number> = { A: 0, R: 1, M: 2, D: 3 };

/** The changed file that provides `dep` at head: a model, seed or snapshot file by name, or a YAML that declares the source. */
export function findProvider(changes: readonly ChangedFile[], dep: DependencyRef, declarations: readonly { name: string; file: string }[], state: "active" | "paused"): ChangedFile | null {
  const present = changes.filter((c) => c.status !== "D").sort((a, b) => PREFERENCE[a.status] - PREFERENCE[b.status]);
  if (dep.type === "source") {
    const declaring = new Set(declarations.filter((d) => d.name === dep.name).map((d) => d.file));
    return present.find((c) => declaring.has(c.path)) ?? null;
  }
  const target = refTarget(dep.name);
  return present.find((c) => providesName(c.path, target, state)) ?? null;
}

/** The changed file that provided `dep` at base and no longer does: deleted, renamed away, paused, or edited. */
export function findRemoval(changes: readonly ChangedFile[], dep: DependencyRef, declarations: readonly { name: string; file: string }[]): { file: string; change: ChangeStatus } | null {
  if (dep.type === "source") {
    const declaring = new Set(declarations.filter((d) => d.name === dep.name).map((d) => d.file));
    const found = changes.find((c) => declaring.has(c.from ?? c.path));
    return found ? { file: found.from ?? found.path, change: found.status } : null;
  }
  const target = refTarget(dep.name);
  const order = [...changes].sort((a, b) => PREFERENCE[b.status] - PREFERENCE[a.status]); // D, then R, then M
  const found = order.find((c) => providesName(c.from ?? c.path, target, "active"));
  return found ? { file: found.from ?? found.path, change: found.status } : null;
}

function providesName(path: string, name: string, state: "active" | "paused"): boolean {
  const kind = classifyModelFile(path);
  if (kind) return kind.state === state && kind.name === name;
  return state === "active" && path.slice(path.lastIndexOf("/") + 1).toLowerCase() === `${name.toLowerCase()}.csv`;
}

/** A paused file the PR renamed back to an active model (or deleted while adding the active file). */
export function wasRestored(changes: readonly ChangedFile[], pausedFile: string, name: string): boolean {
  const active = (path: string) => classifyModelFile(path)?.state === "active" && classifyModelFile(path)?.name === name;
  if (changes.some((c) => c.status === "R" && c.from === pausedFile && active(c.path))) return true;
  return changes.some((c) => c.status === "D" && c.path === pausedFile) && changes.some((c) => (c.status === "A" || c.status === "R") && active(c.path));
}
