/**
 * The dashboard body with the restore boxes of these dimensions cleared again, once their restore
 * was asked for: a box left ticked would look like a request still waiting, and ticking it again
 * would not be seen as a new one. The pattern matches the one `tickedRestoreBoxes` reads.
 */
export function untickRestoreBoxes(body: string, dimensions: readonly string[]): string {
  return body.replace(/^(\s*[-*] )\[[xX]\]( .*<!-- dbt-unskip:restore:([A-Za-z0-9_]+) -->)/gm, (line, start: string, rest: string, dimension: string) =>
    dimensions.includes(dimension) ? `${start}[ ]${rest}` : line,
  );
}
