import * as core from '@actions/core';
import type { Logger } from './logger.ts';

export const coreLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
};
