/** The provider's limit of snapshots per server. */
export const SNAPSHOT_LIMIT = 5;
/** The provider's estimates, shown while waiting. */
export const SNAPSHOT_ESTIMATE = '3-10 minutes';
export const RESTORE_ESTIMATE = '5-15 minutes';
/** Servers snapshotted at once in a fleet. */
export const FLEET_CONCURRENCY = 4;
