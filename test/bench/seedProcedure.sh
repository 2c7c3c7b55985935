#!/usr/bin/env bash
# The manual procedure of the first seed runbook (000_8e4d055661f4de92.txt, step 4), run for every
# paused model, as a person or a chat assistant following the runbook would run it. Kept as close to
# the runbook as possible: the same grep patterns (so only the `{{ ref('x') }}` spelling is seen), a
# `find` per ref, and for sources ("[Similar logic for sources]") a grep of the table name in the
# sources YAML, as step 3 does. The only adaptation: the runbook's `models/` is the project's real
# model path. It prints the runbook's FOUND/MISSING lines, then one VERDICT line per paused model.
#
# usage: seedProcedure.sh <dbt_repository> <model_path>
set -u
dbt_repository="$1"
model_path="$2"

find "$dbt_repository/$model_path" -name '*.sql.skip' | sort | while IFS= read -r MODEL_FILE; do
  BLOCKED=false

  # Extract all ref() calls
  REFS=$(grep -oh "{{ ref('[^']*') }}" "$MODEL_FILE" | sed "s/{{ ref('\([^']*\)') }}/\1/g")

  # Extract all source() calls
  SOURCES=$(grep -oh "{{ source('[^']*', '[^']*') }}" "$MODEL_FILE")

  # Check each ref
  for ref in $REFS; do
    if find "$dbt_repository/$model_path/" -name "$ref.sql" | grep -q .; then
      echo "✅ $ref - FOUND"
    else
      echo "❌ $ref - MISSING"
      BLOCKED=true
    fi
  done

  # Check each source: its table must be declared in a sources YAML
  while IFS= read -r source; do
    [ -z "$source" ] && continue
    table=$(echo "$source" | sed "s/{{ source('[^']*', '\([^']*\)') }}/\1/")
    if grep -rq --include='*.yml' "name: $table\$" "$dbt_repository/$model_path/"; then
      echo "✅ $table - FOUND"
    else
      echo "❌ $table - MISSING"
      BLOCKED=true
    fi
  done <<< "$SOURCES"

  name=$(basename "$MODEL_FILE" .sql.skip)
  if [ "$BLOCKED" = true ]; then echo "VERDICT blocked $name"; else echo "VERDICT ready $name"; fi
done
