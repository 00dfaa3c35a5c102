/** A setting the server cannot start with (found at start-up, not at load): the CLI prints the message, no stack. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
