import type { LocalFiles } from "./localFiles.js";
import type { ScratchCopies } from "./scratchDbt.js";
import type { WorkTree } from "./workTree.js";

/**
 * What a restore or a pause reads and changes, as ports: the entry point hands in the real ones
 * (localDisk, localWorkTree, scratchCopies) once; a test hands in stand-ins held in memory.
 */
export interface TreeChangePorts {
  /** The repository's files: the project scan, and whether a new state document's path is free. */
  disk: LocalFiles;
  /** The git work tree: its checks, its lock, and the change applied all or nothing. */
  git: WorkTree;
  /** Where dbt proves the change before the tree is touched. */
  scratch: ScratchCopies;
}
