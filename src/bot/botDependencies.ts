import type { BotSettings } from "./botSettings.js";

/** What every event handler gets besides its webhook context. */
export interface BotDependencies {
  settings: BotSettings;
  /** The login the app writes as (asked of GitHub once). */
  identity: () => Promise<string>;
}
