// Settings objects as parseSettings makes them, with the defaults of action.yml; override what a test needs.
import type {
  CreateSettings,
  DeleteSettings,
  ListSettings,
  PruneSettings,
  RestoreSettings,
  WaitSettings,
} from '../../src/settings/types.ts';
import type { Harness } from './emulator.ts';
import { TOKEN } from './emulator.ts';

function common(h: Harness) {
  return { apiUrl: h.emulator.baseUrl, token: TOKEN, dryRun: false, wait: true, timeoutMs: 30 * 60_000 };
}

export const createSettings = (h: Harness, over: Partial<CreateSettings> = {}): CreateSettings => ({
  ...common(h),
  operation: 'create',
  serverIds: [12345],
  name: 'pre-deploy-test',
  restoreOnFailure: false,
  keep: 0,
  keepWithinMs: 0,
  prunePrefix: 'pre-deploy-',
  ...over,
});

export const restoreSettings = (h: Harness, over: Partial<RestoreSettings> = {}): RestoreSettings => ({
  ...common(h),
  operation: 'restore',
  targets: [{ by: 'id', snapshotId: 801 }],
  ...over,
});

export const deleteSettings = (h: Harness, over: Partial<DeleteSettings> = {}): DeleteSettings => ({
  ...common(h),
  operation: 'delete',
  targets: [{ by: 'id', snapshotId: 801 }],
  ...over,
});

export const listSettings = (h: Harness, over: Partial<ListSettings> = {}): ListSettings => ({
  ...common(h),
  operation: 'list',
  ...over,
});

export const waitSettings = (h: Harness, over: Partial<WaitSettings> = {}): WaitSettings => ({
  ...common(h),
  operation: 'wait',
  targets: [],
  ...over,
});

export const pruneSettings = (h: Harness, over: Partial<PruneSettings> = {}): PruneSettings => ({
  ...common(h),
  operation: 'prune',
  servers: [12345],
  keep: 2,
  keepWithinMs: 0,
  prunePrefix: 'pre-deploy-',
  ...over,
});
