import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";
import { memoryDisk } from "./memoryDisk.js";
import { memoryScratch, type MemoryDbtVerdict, type MemoryManifest } from "./memoryScratch.js";
import { memoryWorkTree } from "./memoryWorkTree.js";

/** Restore's and pause's ports held in memory, over one repository at `/repo` (`files`: absolute paths to text). */
export function memoryTreePorts(files: Record<string, string>, verdict?: MemoryDbtVerdict, manifest?: MemoryManifest) {
  const disk = memoryDisk(files);
  return { disk, git: memoryWorkTree(disk.texts, "/repo"), scratch: memoryScratch(verdict, manifest) };
}

/** What restore and pause both take besides their ports: that repository, a dbt never started, a fixed day, yes to every question. */
export const MEMORY_RUN = {
  root: "/repo",
  config: DEFAULT_CONFIG,
  dbt: { command: "dbt", version: "1.11.0" },
  timeoutMs: 60_000,
  today: "2026-12-07",
  confirm: async () => true,
  progress: () => {},
};
