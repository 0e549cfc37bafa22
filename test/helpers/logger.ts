import type { Logger } from '../../src/logger.ts';

/** A Logger that keeps every line: `lines` as `info …` / `warning …`, and the warnings with their titles. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  readonly debugs: string[] = [];
  readonly warnings: { message: string; title: string | undefined }[] = [];

  debug = (message: string): void => {
    this.debugs.push(message);
  };

  info = (message: string): void => {
    this.lines.push(`info ${message}`);
  };

  warning = (message: string, title?: string): void => {
    this.lines.push(`warning ${message}`);
    this.warnings.push({ message, title });
  };

  clear(): void {
    this.lines.length = 0;
    this.debugs.length = 0;
    this.warnings.length = 0;
  }
}
