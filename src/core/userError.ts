/**
 * A mistake the user can fix (not a dbt project, a bad config file, an unknown dimension). Entry
 * points print its message alone, with no stack trace, and exit with code 2.
 */
export class UserError extends Error {
  /**
   * @param lines when the mistake is several (problems in a config file), each on its own; the CLI
   * prints every one as an error line of its own, each with the tool's name.
   */
  constructor(
    message: string,
    readonly lines?: readonly string[],
  ) {
    super(message);
    this.name = "UserError";
  }
}
