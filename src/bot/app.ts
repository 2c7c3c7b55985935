import type { Context, Probot } from "probot";
import { propertiesThread } from "../adapters/threads/propertiesThread.js";
import { UserError } from "../core/userError.js";
import { appIdentity } from "./appIdentity.js";
import type { BotDependencies } from "./botDependencies.js";
import { DEFAULT_BOT_SETTINGS, type BotSettings } from "./botSettings.js";
import { createDeliveryMemory } from "./deliveryMemory.js";
import { onDashboardEdited } from "./onDashboardEdited.js";
import { onIssueComment } from "./onIssueComment.js";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./onPullRequest.js";
import { onPush } from "./onPush.js";

/**
 * The dbt-unskip GitHub App: the Action's use cases served from webhooks. It reads repositories
 * as archives through the API and runs no dbt; what needs dbt is dispatched to the Action's workflow.
 */
export function createApp(settings: BotSettings = DEFAULT_BOT_SETTINGS): (app: Probot) => void {
  return (app) => {
    const seen = createDeliveryMemory(settings.deliveryMemory);
    const deps: BotDependencies = { settings, identity: appIdentity(app), prepareBuild: propertiesThread(settings.propertiesThread) };

    /** Each delivery handled once; a problem the repository's people can fix is logged, not thrown. */
    const handle =
      <C extends Context>(what: string, handler: (context: C, deps: BotDependencies) => Promise<void>) =>
      async (context: C): Promise<void> => {
        if (!seen.firstSight(context.id)) {
          context.log.info(`delivery ${context.id} (${what}) was already handled; ignoring the duplicate`);
          return;
        }
        try {
          await handler(context, deps);
        } catch (error) {
          if (error instanceof UserError) {
            context.log.warn(`${what}: ${error.message}`);
            return;
          }
          // Logged in full here; Probot answers the delivery with HTTP 500 and the message of what is
          // thrown, so what is thrown says only that it failed (never a raw TypeError or GitHub's
          // words, and never GitHub's status as the webhook's). Forgotten so a redelivery is handled again.
          seen.forget(context.id);
          context.log.error({ err: error }, `${what}: delivery ${context.id} failed`);
          throw new DeliveryFailed(what, context.id);
        }
      };

    app.on([...PULL_REQUEST_EVENTS], handle("pull_request", onPullRequest));
    app.on("push", handle("push", onPush));
    app.on("issue_comment.created", handle("issue_comment", onIssueComment));
    app.on("issues.edited", handle("issues.edited", onDashboardEdited));
  };
}

export default createApp();

/** What the webhook's HTTP answer says when a handler failed: that it did, and where to look. */
export class DeliveryFailed extends Error {
  constructor(what: string, deliveryId: string) {
    super(`dbt-unskip could not handle this ${what} delivery (${deliveryId}); the bot's log has the details`);
    this.name = "DeliveryFailed";
  }
}
