import { scratchCopies } from "../../src/adapters/dbt/scratchCopies.js";
import { localDisk } from "../../src/adapters/files/localDisk.js";
import { localWorkTree } from "../../src/adapters/git/localWorkTree.js";
import type { TreeChangePorts } from "../../src/usecases/treeChangePorts.js";

/** The real disk, git work tree and scratch copies, as the CLI and the Action hand them to restore and pause. */
export const localTreePorts: TreeChangePorts = { disk: localDisk, git: localWorkTree, scratch: scratchCopies };
