import type { TreeChangePorts } from "../usecases/treeChangePorts.js";
import { scratchCopies } from "./dbt/scratchCopies.js";
import { localDisk } from "./files/localDisk.js";
import { localWorkTree } from "./git/localWorkTree.js";

/** The real disk, git work tree and scratch copies behind `TreeChangePorts`: what every entry point hands restore, pause, plan and rollback. */
export const localTreePorts: TreeChangePorts = { disk: localDisk, git: localWorkTree, scratch: scratchCopies };
