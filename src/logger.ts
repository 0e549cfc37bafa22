/** Where the API layer, the waiting engine and the operations report; the step passes one backed by @actions/core. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  /** A warning annotation, headed by `title` where given. */
  warning(message: string, title?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warning() {} };
