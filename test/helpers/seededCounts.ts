import fc from "fast-check";

/**
 * Runs a property whose body also counts something about its inputs (how many took a fast path,
 * how many were valid) twice: first on a fixed seed, then `checkCounts` (the counts then are the
 * same on every run, so an assertion on them cannot fail by chance, and still shows the generator
 * exercises what it should); then on a fresh seed, so each run also checks the property on new
 * inputs. Counting properties must not assert on counts taken from unseeded runs: such assertions
 * fail now and then by chance.
 */
export function assertSeededThenFresh<Ts>(property: fc.IProperty<Ts>, { numRuns, seed }: { numRuns: number; seed: number }, checkCounts: () => void): void {
  fc.assert(property, { numRuns: Math.ceil(numRuns / 2), seed });
  checkCounts();
  fc.assert(property, { numRuns: Math.floor(numRuns / 2) });
}
