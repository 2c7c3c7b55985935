#!/usr/bin/env node
// Writes a copy of the bundled example (examples/warehouse-migration) that an older dbt parses, for
// scripts/dbt-versions.sh. The committed example uses two constructs of newer dbt:
//   - generic tests take their arguments under `arguments:` (dbt 1.10); before 1.10 they sit
//     directly under the test's name, so the `arguments:` line is dropped and its block dedented;
//   - the snapshot has no `target_schema` (optional since dbt 1.9); before 1.9 it is required, so
//     `target_schema='snapshots'` is added to its config() (the schema dbt_project.yml gives it).
// Nothing else changes. Prints each rewrite on stderr, and the copy's path on stdout.
//
//   node scripts/example-for-dbt.mjs MINOR DEST       (MINOR such as 1.9; DEST must not exist)
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const [minor, dest] = process.argv.slice(2);
const match = /^1\.(\d+)$/.exec(minor ?? "");
if (!match || !dest) {
  console.error("usage: node scripts/example-for-dbt.mjs MINOR DEST   (MINOR such as 1.9)");
  process.exit(2);
}
if (existsSync(dest)) {
  console.error(`example-for-dbt: ${dest} exists already`);
  process.exit(2);
}
const n = Number(match[1]);
const source = fileURLToPath(new URL("../examples/warehouse-migration", import.meta.url));
cpSync(source, dest, { recursive: true });

/** Every file under `dir` whose name ends with one of `ends`. */
function files(dir, ends) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...files(path, ends));
    else if (entry.isFile() && ends.some((e) => entry.name.endsWith(e))) found.push(path);
  }
  return found;
}

/** Drops each `arguments:` line and dedents its block onto the line's own indent. */
export function unwrapArguments(text) {
  const lines = text.split("\n");
  const out = [];
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const head = /^( *)arguments:\s*$/.exec(lines[i]);
    if (!head) {
      out.push(lines[i]);
      continue;
    }
    const indent = head[1].length;
    let j = i + 1;
    let shift = -1;
    const block = [];
    for (; j < lines.length; j++) {
      const line = lines[j];
      if (line.trim() === "") {
        block.push(line);
        continue;
      }
      const own = line.length - line.trimStart().length;
      if (own <= indent) break;
      if (shift < 0) shift = own - indent;
      if (own < indent + shift) throw new Error(`example-for-dbt: an uneven block under arguments: near line ${j + 1}`);
      block.push(line.slice(shift));
    }
    out.push(...block);
    count++;
    i = j - 1;
  }
  return { text: out.join("\n"), count };
}

let changes = 0;
const dbtDir = join(dest, "dbt");
if (n < 10) {
  for (const file of files(dest, [".yml", ".yaml"])) {
    const before = readFileSync(file, "utf8");
    if (!/^ *arguments:\s*$/m.test(before)) continue;
    const { text, count } = unwrapArguments(before);
    writeFileSync(file, text);
    changes += count;
    console.error(`example-for-dbt: dbt ${minor}: ${relative(dest, file)}: ${count} generic test(s) without \`arguments:\` (1.10 syntax)`);
  }
}
if (n < 9) {
  for (const file of files(join(dbtDir, "snapshots"), [".sql"])) {
    const before = readFileSync(file, "utf8");
    if (/target_schema/.test(before)) continue;
    const after = before.replace(/config\(\s*\n/, (m) => `${m}        target_schema='snapshots',\n`);
    if (after === before) throw new Error(`example-for-dbt: no config( block in ${file}`);
    writeFileSync(file, after);
    changes++;
    console.error(`example-for-dbt: dbt ${minor}: ${relative(dest, file)}: target_schema='snapshots' added (required before 1.9)`);
  }
}
if (changes === 0) console.error(`example-for-dbt: dbt ${minor}: the example needs no change`);
console.log(dest);
