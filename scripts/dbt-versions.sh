#!/usr/bin/env bash
# Runs the dbt integration tier (exact mode, culprit isolation, verify) against each minor version of
# dbt-core users run, each with its matching dbt-duckdb, and prints what passed and verify's figures
# on the bundled example. Not in CI: it installs four dbt versions from PyPI and takes a while.
#
#   bash scripts/dbt-versions.sh [MINOR ...]        (default: 1.8 1.9 1.10 1.11)
#
# Each version gets its own virtual environment in DBT_VERSIONS_CACHE (default
# ~/.cache/dbt-unskip/dbt-versions), made once and kept. The tests find that dbt through
# DBT_UNSKIP_DBT (see src/adapters/dbt/findDbt.ts). Results: one JSON per version and a summary in
# DBT_VERSIONS_OUT (default: a temporary folder, printed at the end).
#
# dbt-core 1.12 is not in the list: it requires dbt-core-experimental-parser, whose install downloads
# a wheel from outside the package registries, which these machines cannot reach.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py="${PYTHON:-python3}"
cache="${DBT_VERSIONS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dbt-unskip/dbt-versions}"
out="${DBT_VERSIONS_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/dbt-unskip-versions-XXXXXX")}"
mkdir -p "$cache" "$out"
minors=("$@")
[ ${#minors[@]} -eq 0 ] && minors=(1.8 1.9 1.10 1.11)
tests=(
  test/integration/example.int.test.ts     # exact mode against dbt's manifest
  test/integration/restore.int.test.ts     # restore with culprit isolation
  test/integration/verify.int.test.ts      # verify on the example, planted disagreement
  test/integration/verifyCorpus.int.test.ts # verify and random pause on the shared corpus
)
bash scripts/setup.sh >&2

for minor in "${minors[@]}"; do
  if ! [[ "$minor" =~ ^1\.[0-9]+$ ]]; then echo "dbt-versions: '$minor' is not a minor version such as 1.9" >&2; exit 2; fi
  venv="$cache/$minor"
  if [ ! -x "$venv/bin/dbt" ]; then
    echo "dbt-versions: installing dbt-core ~=$minor.0 and dbt-duckdb ~=$minor.0 into $venv" >&2
    rm -rf "$venv"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "dbt-core~=$minor.0" "dbt-duckdb~=$minor.0" >&2
  fi
  versions="$("$venv/bin/python" -m pip list --format=freeze 2>/dev/null | grep -E '^(dbt-core|dbt-duckdb)==' | tr '\n' ' ')"
  echo "dbt-versions: $minor: $versions" >&2
  # Before 1.10 the committed example does not parse (`arguments:` under generic tests is 1.10
  # syntax; before 1.9 a snapshot needs target_schema): the tests and verify then use a copy
  # rewritten for that version (scripts/example-for-dbt.mjs says what it changed).
  example="examples/warehouse-migration"
  note=""
  minor_n="${minor#1.}"
  if [ "$minor_n" -lt 10 ]; then
    example="$out/example-$minor"
    rm -rf "$example"
    node scripts/example-for-dbt.mjs "$minor" "$example" >/dev/null 2> "$out/example-$minor.log"
    sed 's/^/  /' "$out/example-$minor.log" >&2
    note="the example rewritten for $minor in a scratch copy: $(sed 's/^example-for-dbt: dbt [0-9.]*: //' "$out/example-$minor.log" | paste -sd ';' | sed 's/;/; /g')"
  fi
  DBT_UNSKIP_TEST_EXAMPLE="$( [ "$example" = examples/warehouse-migration ] || echo "$example")" \
  DBT_UNSKIP_DBT="$venv/bin/dbt" npx vitest run "${tests[@]}" --reporter=json --outputFile="$out/tests-$minor.json" > "$out/tests-$minor.log" 2>&1 || true
  DBT_UNSKIP_DBT="$venv/bin/dbt" node --input-type=module -e "
    import { runTsScript } from './scripts/runTsScript.mjs';
    process.exitCode = await runTsScript('src/cli/main.ts', ['verify', '--root', '$example', '--json']);
  " > "$out/verify-$minor.json" 2> "$out/verify-$minor.log" || true
  EXAMPLE_NOTE="$note" node --input-type=module -e "
    import { readFileSync, existsSync } from 'node:fs';
    const minor = '$minor';
    const file = '$out/tests-' + minor + '.json';
    const lines = ['dbt ' + minor + ' (' + '$versions'.trim() + ')'];
    const note = process.env.EXAMPLE_NOTE;
    if (note) lines.push('  ' + note);
    if (existsSync(file)) {
      const r = JSON.parse(readFileSync(file, 'utf8'));
      lines.push('  tests: ' + r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed of ' + r.numTotalTests);
      for (const f of r.testResults) {
        const failed = f.assertionResults.filter((a) => a.status === 'failed');
        const passed = f.assertionResults.filter((a) => a.status === 'passed');
        lines.push('    ' + f.name.replace(process.cwd() + '/', '') + ': ' + passed.length + ' passed of ' + f.assertionResults.length + (f.status === 'failed' && failed.length === 0 ? ' (the file failed: ' + String(f.message).split('\n')[0].slice(0, 200) + ')' : ''));
        for (const a of failed) lines.push('      failed: ' + a.fullName + ' :: ' + String(a.failureMessages[0] ?? '').split('\n')[0].slice(0, 200));
      }
    } else lines.push('  tests: no result file (see tests-' + minor + '.log)');
    try {
      const v = JSON.parse(readFileSync('$out/verify-' + minor + '.json', 'utf8'));
      for (const p of v.projects) lines.push('  verify on the example: ' + p.models.compared + ' models, edges ' + p.edges.right + ' right / ' + p.edges.added + ' added / ' + p.edges.missed + ' missed / ' + p.edges.dynamic + ' dynamic; enabled-ness ' + p.enabled.right + ' right / ' + p.enabled.wrong + ' wrong; safe: ' + v.safe);
    } catch { lines.push('  verify on the example: no result (see verify-' + minor + '.log)'); }
    console.log(lines.join('\n'));
  " | tee -a "$out/summary.txt"
done
echo "dbt-versions: results in $out (summary.txt)" >&2
