import type { SnapshotsClient } from '../api/client.ts';
import type { Logger } from '../logger.ts';
import type { Report } from '../report.ts';
import type { WaitClock } from '../wait.ts';

/** What every operation works with; the clock is simulated in tests. */
export interface OperationContext {
  client: SnapshotsClient;
  logger: Logger;
  clock: WaitClock;
  report: Report;
}
