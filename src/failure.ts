import type { Report } from './report.ts';

/** A failure the action explains itself: `title` heads the annotation, the message says what to do next. */
export class ActionError extends Error {
  readonly title: string;
  /** What was done before the failure, for the job summary. */
  readonly report: Report | undefined;

  constructor(title: string, message: string, report?: Report) {
    super(message);
    this.name = 'ActionError';
    this.title = title;
    this.report = report;
  }
}
