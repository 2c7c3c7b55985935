import type { PrepareBuild } from "../usecases/computeStatus.js";
import type { BotSettings } from "./botSettings.js";

/** What every event handler gets besides its webhook context. */
export interface BotDependencies {
  settings: BotSettings;
  /** The login the app writes as (asked of GitHub once). */
  identity: () => Promise<string>;
  /**
   * Given to every scan (computeStatus's `prepare`, the PR check's `prepareHead`), as the Action gives
   * it: a large project's properties YAML read on a worker thread (settings.propertiesThread).
   */
  prepareBuild: PrepareBuild;
}
