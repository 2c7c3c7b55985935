import type { DbtContext } from "../adapters/dbt/dbtContext.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { dbtCommandContext } from "./dbtCommandContext.js";
import type { CommandStart } from "./startCommand.js";
import { withInterrupt } from "./interruptGuard.js";

/**
 * The middle and end of a command that changes the warehouse through dbt (run, rollback, backfill):
 * dbt's settings decided and the use case run with Ctrl-C stopping dbt, the outcome printed (JSON, or
 * its report after a blank line), and the exit code its result maps to (130 when interrupted).
 */
export async function runWarehouseCommand<Outcome extends { result: string }>(
  start: Pick<CommandStart<unknown, "optional">, "values" | "common" | "root" | "config" | "log" | "print">,
  spec: {
    defaultTimeoutSeconds: number;
    /** Said when Ctrl-C stops dbt. */
    interruptMessage: string;
    exit: Record<Outcome["result"], number>;
    render(outcome: Outcome): string;
    /** The use case, given what every warehouse use case takes. */
    work(context: { root: string; config: UnskipConfig; dbt: Omit<DbtContext, "projectDir">; secrets: string[]; progress: (line: string) => void }): Promise<Outcome>;
  },
): Promise<number> {
  const { value: outcome, interrupted } = await withInterrupt(start.log, spec.interruptMessage, async (signal) => {
    const { dbt, secrets } = await dbtCommandContext({ common: start.common, values: start.values, root: start.root, defaultTimeoutSeconds: spec.defaultTimeoutSeconds, signal });
    return spec.work({ root: start.root, config: start.config, dbt, secrets, progress: (line) => start.log.write(`${line}\n`) });
  });
  start.print(outcome, () => `\n${spec.render(outcome)}`);
  return interrupted ? 130 : spec.exit[outcome.result as Outcome["result"]];
}
