// Memory and time of CSV inference on a large file (default 1 GB): `node scripts/bench-csv.mjs [--gb N]`.
// Generates a synthetic CSV in a temporary folder, then profiles it in a child process (so that
// process's peak RSS is the inference's alone, not the generator's) with the product's own code,
// and prints rows, wall time, throughput and peak RSS. Not part of the test suite (it takes a
// while); test/usecases/csvProfileStream.test.ts runs the same code on a few MB.
import { spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { profileCsvFile } from "../../src/adapters/files/profileCsvFile.js";
import { writeSyntheticCsv } from "./syntheticCsv.js";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};

const profilePath = arg("--profile");
if (profilePath) {
  // The child: profile one file, report as JSON.
  const started = performance.now();
  const { profile } = await profileCsvFile({ path: profilePath, display: "big.csv", nullPolicy: "csv" });
  const seconds = (performance.now() - started) / 1000;
  const types = profile.columns.map((c) => `${c.name}=${c.type.kind}${c.type.kind === "integer" ? `/${c.type.size}` : c.type.kind === "decimal" ? `(${c.type.precision},${c.type.scale})` : ""}`);
  const key = profile.key ? `${profile.key.column} (${profile.key.proof})` : "none";
  console.log(JSON.stringify({ rows: profile.rows, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, types, key, keyNotes: profile.keyNotes }));
} else {
  const gigabytes = Number(arg("--gb") ?? "1");
  const dir = await mkdtemp(join(tmpdir(), "dbt-unskip-csv-bench-"));
  try {
    const path = join(dir, "big.csv");
    const t0 = performance.now();
    const written = await writeSyntheticCsv(path, gigabytes * 1024 ** 3);
    const size = (await stat(path)).size;
    console.log(`generated ${written.toLocaleString("en-US")} rows, ${mb(size)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const child = spawn(process.execPath, [process.argv[1]!, "--profile", path], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number>((resolve) => child.on("close", (status) => resolve(status ?? 1)));
    if (code !== 0) throw new Error(`profiling failed (exit ${code})`);
    const r = JSON.parse(out) as { rows: number; seconds: number; maxRssBytes: number; types: string[]; key: string; keyNotes: string[] };
    console.log(`profiled ${r.rows.toLocaleString("en-US")} rows in ${r.seconds.toFixed(1)} s (${(size / 1024 / 1024 / r.seconds).toFixed(0)} MB/s); peak RSS of the profiling process ${mb(r.maxRssBytes)}`);
    console.log(`types: ${r.types.join(" ")}`);
    console.log(`key: ${r.key}${r.keyNotes.length > 0 ? `; ${r.keyNotes.join("; ")}` : ""}`);
    console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
    if (r.rows !== written) {
      console.error(`row count mismatch: wrote ${written}, profiled ${r.rows}`);
      process.exitCode = 1;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
