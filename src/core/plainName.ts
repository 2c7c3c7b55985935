/**
 * What a model, dimension or other name may hold wherever it reaches a command line, a branch name,
 * a chat-ops command or Markdown (RELIABILITY 7): letters, digits and `_`. One rule for the CLI, the
 * Action's inputs, the bot, state documents, tags and the config schema.
 */
export const PLAIN_NAME = /^[A-Za-z0-9_]+$/;

export function isPlainName(value: string): boolean {
  return PLAIN_NAME.test(value);
}
