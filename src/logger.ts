/** Where the API layer and the waiting engine report; the action passes one backed by @actions/core. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warning() {},
};
