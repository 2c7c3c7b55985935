import type { WorkTree } from "../../usecases/workTree.js";
import { checkRenameIsSafe } from "../files/renameGuard.js";
import { gitPrefixInside } from "./gitPrefix.js";
import { changedFiles, fileAtRevision, latestCommitMatching } from "./gitRevisions.js";
import { branchExists, commitBlobChanges, currentBranch, deleteBranchIfAny, hasCommitIdentity, headCommit, repositoryRoot, switchBranch, switchDetached, uncommittedChanges } from "./gitWorkTree.js";
import { withRepositoryLock } from "./repositoryLock.js";
import { applyTreeChange } from "./treeTransaction.js";

/** The real git work tree behind the `WorkTree` port. */
export const localWorkTree: WorkTree = {
  repositoryRoot,
  uncommittedChanges: (dir, path) => uncommittedChanges(dir, path),
  currentBranch,
  headCommit,
  gitPrefix: gitPrefixInside,
  latestCommitMatching,
  changedFiles,
  fileAtRevision,
  commitBlobChanges,
  branchExists,
  hasCommitIdentity,
  withLock: withRepositoryLock,
  checkRename: checkRenameIsSafe,
  switchBranch,
  switchDetached,
  deleteBranchIfAny,
  applyChange: applyTreeChange,
};
