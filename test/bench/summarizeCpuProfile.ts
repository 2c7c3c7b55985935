import { readFileSync } from "node:fs";

// Reads a V8 `.cpuprofile` (from `node --cpu-prof`) of the bundled CLI and says where the time went:
// self time per function and per source area. The bundle keeps esbuild's `// src/...` and
// `// node_modules/...` markers before each module, so a function's line in dist/cli.js tells which
// source file it came from without a source map.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  /** Source file (`src/...`), npm package (`npm:yaml`), or what the runtime calls it. */
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  sampledMs: number;
  functions: ProfileEntry[];
  areas: ProfileEntry[];
}

const FS_NATIVE = new Set(["lstat", "stat", "fstat", "read", "open", "openFileHandle", "close", "readdir", "realpath", "readFileUtf8", "readlink", "access"]);

export function summarizeCpuProfile(input: { profileFile: string; bundleFile: string }): ProfileSummary {
  const profile = JSON.parse(readFileSync(input.profileFile, "utf8")) as CpuProfile;
  const bundleName = input.bundleFile.split("/").pop()!;
  const markers: [number, string][] = [];
  readFileSync(input.bundleFile, "utf8")
    .split("\n")
    .forEach((line, i) => {
      // esbuild writes each module's path relative to the working folder: `src/...`, or
      // `node_modules/...` (possibly behind `../` when node_modules is a link).
      const match = /^\/\/ (\S+\.(?:ts|js|mjs|cjs|json))$/.exec(line);
      if (!match) return;
      const path = match[1]!;
      const npm = path.lastIndexOf("node_modules/");
      if (npm >= 0) markers.push([i, path.slice(npm)]);
      else if (path.startsWith("src/") || path.includes("/src/")) markers.push([i, path.slice(path.indexOf("src/"))]);
    });
  const moduleAt = (line: number): string => {
    let lo = 0;
    let hi = markers.length - 1;
    let found = "dist (entry code)";
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (markers[mid]![0] <= line) {
        found = markers[mid]![1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "npm:$1");
  };

  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, ProfileEntry>();
  const byArea = new Map<string, ProfileEntry>();
  let total = 0;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const [id, micros] of selfByNode) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const ms = micros / 1000;
    total += ms;
    let where: string;
    let area: string;
    if (url.endsWith(bundleName)) {
      where = moduleAt(lineNumber);
      area = where.startsWith("src/") ? where.slice(0, where.lastIndexOf("/")) : where;
    } else if (url) {
      where = url.replace(/^node:/, "node:");
      area = url.includes("internal/fs") ? "file system (Node's fs layer)" : "Node internals";
    } else {
      where = "native";
      area = FS_NATIVE.has(functionName)
        ? "file system (system calls)"
        : functionName === "(garbage collector)"
          ? "garbage collection"
          : functionName === "(idle)"
            ? "idle (waiting for I/O)"
            : functionName === "(program)"
              ? "V8 (compiling, runtime)"
              : "other native";
    }
    const name = functionName || "(anonymous)";
    add(byFunction, `${name}\u0000${where}`, { name, where, selfMs: ms, share: 0 });
    add(byArea, area, { name: area, where: area, selfMs: ms, share: 0 });
  }
  const finish = (map: Map<string, ProfileEntry>) => [...map.values()].map((e) => ({ ...e, share: total > 0 ? e.selfMs / total : 0 })).sort((a, b) => b.selfMs - a.selfMs);
  return { sampledMs: total, functions: finish(byFunction), areas: finish(byArea) };
}

function add(map: Map<string, ProfileEntry>, key: string, entry: ProfileEntry): void {
  const seen = map.get(key);
  if (seen) seen.selfMs += entry.selfMs;
  else map.set(key, entry);
}
