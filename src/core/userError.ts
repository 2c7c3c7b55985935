/**
 * A mistake the user can fix (not a dbt project, a bad config file, an unknown dimension). Entry
 * points print its message alone, with no stack trace, and exit with code 2.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
