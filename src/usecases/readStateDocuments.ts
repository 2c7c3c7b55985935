import type { StateDocumentInput } from "../core/readiness/assignDimensions.js";
import { parseStateDocument } from "../core/stateDocument/parseStateDocument.js";
import type { Problem } from "../core/types.js";
import { SYMBOLIC_LINK_NOT_FOLLOWED, type FileContent } from "../core/project/projectSnapshot.js";
import type { FileSource } from "./fileSource.js";
import { isPlainName } from "../core/plainName.js";
import { escapeGlob } from "../core/config/boundedPattern.js";

export interface LoadedStateDocument extends StateDocumentInput {
  text: string;
}

/**
 * Reads every `<dimensionsOutput>/<dim>/*_STATE.md`; one that cannot be parsed is reported, not fatal.
 * `parse`: parseStateDocument, or a stand-in that gives what it gives for the same text (a pull
 * request's base reuses the head's reading of a document the PR does not change).
 */
export async function readStateDocuments(
  files: FileSource,
  dimensionsOutput: string,
  parse: (text: string, path: string) => ReturnType<typeof parseStateDocument> = parseStateDocument,
): Promise<{ documents: LoadedStateDocument[]; problems: Problem[] }> {
  const base = dimensionsOutput.replace(/\/+$/, "");
  // Read from the repository only: a folder on the way that is a symbolic link (a committed
  // `dimensions` link, to outside the repository or not) is not followed, as a commit or tarball
  // never follows it and as nothing is written through it (src/adapters/git/treeTransaction.ts).
  const link = await linkedStateFolder(files, base);
  if (link !== null) return { documents: [], problems: [linkProblem(link)] };
  const paths = await files.glob([`${escapeGlob(base)}/*/*_STATE.md`]);
  const documents: LoadedStateDocument[] = [];
  const problems: Problem[] = [];
  // The same for a dimension's folder that is a link (`dimensions/dim_user` → elsewhere) and for a
  // document that is one: a listing gives them as entries (it never walks into a link), a working
  // tree's glob passes over them. Not for a folder that is the repository itself (a whole listing).
  if (base !== "" && base !== ".") {
    const globbed = new Set(paths);
    for (const entry of await files.list(base)) {
      const depth = entry.slice(base.length + 1).split("/").length;
      if (depth !== 1 && !(depth === 2 && entry.endsWith("_STATE.md") && !globbed.has(entry))) continue;
      if (isLink(await files.read(entry))) problems.push(linkProblem(entry));
    }
  }
  const seen = new Set<string>();
  for (const path of paths.sort(preferMigrationState)) {
    const dimension = path.slice(base.length + 1).split("/")[0]!;
    if (seen.has(dimension)) continue; // one document per dimension: *_MIGRATION_STATE.md first
    // The folder names the dimension, and a dimension name ends up in commands, branch names and
    // Markdown: anything but a plain name (a newline, a space, `..`) is refused, not carried along.
    if (!isPlainName(dimension)) {
      seen.add(dimension);
      problems.push({ kind: "invalid-state-document", file: path, message: `folder name ${JSON.stringify(dimension)} is not a dimension name (letters, digits and _ only): the document is ignored` });
      continue;
    }
    const content = await files.read(path);
    if (!content) continue;
    if (content.kind !== "text") {
      problems.push(isLink(content) ? linkProblem(path) : { kind: "invalid-state-document", file: path, message: content.reason });
      continue;
    }
    const doc = parse(content.text, path);
    if (!doc.recognized) {
      problems.push({ kind: "invalid-state-document", file: path, message: `not a migration state document: ${doc.problems[0] ?? "no status line and no paused models section"}` });
      continue;
    }
    for (const message of doc.problems) problems.push({ kind: "invalid-state-document", file: path, message });
    seen.add(dimension);
    documents.push({
      path,
      dimension,
      text: content.text,
      status: doc.status?.value ?? null,
      pausedModels: doc.pausedModels.map((m) => ({ name: m.name, location: m.location, missing: m.missing, line: m.line })),
    });
  }
  return { documents, problems };
}

function isLink(content: FileContent | null): boolean {
  return content?.kind === "unreadable" && content.reason === SYMBOLIC_LINK_NOT_FOLLOWED;
}

function linkProblem(link: string): Problem {
  const message = `${link} is a symbolic link: dbt-unskip does not read state documents through links (nor write through them), so none was read; put the folder itself in the repository`;
  return { kind: "invalid-state-document", file: link, message };
}

/** Why restore and pause refuse when the state documents' folder is (below) a symbolic link. */
export function linkedStateFolderRefusal(link: string): string {
  return `${link} is a symbolic link: dbt-unskip does not read or write state documents through links; nothing was changed; put the folder itself in the repository`;
}

/**
 * What status says, instead of suggesting it, of a restore that would be refused (linkedStateFolderRefusal):
 * the same reason, and what to change first.
 */
export function linkedStateFolderRestoreRefused(link: string): string {
  return `restore would be refused: ${link} is a symbolic link (dbt-unskip does not read or write state documents through links); put the folder itself in the repository`;
}

/**
 * The first folder of `dir` (the state documents' folder, relative to the repository root) that is
 * a symbolic link, or null. Status reads no document through it; restore and pause refuse (linkedStateFolderRefusal).
 */
export async function linkedStateFolder(files: FileSource, dir: string): Promise<string | null> {
  const parts = dir.split("/").filter((part) => part !== "" && part !== ".");
  for (let i = 1; i <= parts.length; i++) {
    const folder = parts.slice(0, i).join("/");
    if (isLink(await files.read(folder))) return folder;
  }
  return null;
}

function preferMigrationState(a: string, b: string): number {
  const rank = (p: string) => (p.endsWith("_MIGRATION_STATE.md") ? 0 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
