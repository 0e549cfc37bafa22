import * as core from '@actions/core';

/** The action's outputs (action.yml), each written once known. */
export interface Outputs {
  snapshot_id: number;
  snapshot_name: string;
  status:
    | 'completed'
    | 'in_progress'
    | 'restored'
    | 'restoring'
    | 'deleted'
    | 'listed'
    | 'planned'
    | 'failed';
  size_mb: number | null;
  server_id: number;
  snapshot_ids: Record<string, number>;
  snapshots: unknown[];
  deleted_ids: number[];
}

export function setOutputs(values: Partial<Outputs>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    core.setOutput(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
}
