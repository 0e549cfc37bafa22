// Fleet: one create step on many servers against one on a single server, the bundle as the runner runs it.
import { Emulator } from '../emulator/index.ts';
import { runAction } from '../scripts/run-action.ts';
import { TOKEN } from './common.ts';

export interface FleetRun {
  servers: number;
  wallMs: number;
  createRequests: number;
  pollCount: number;
  listRequestsWhileWaiting: number;
  requestsPerPoll: number;
}

export async function fleet(servers: number): Promise<FleetRun> {
  const emulator = new Emulator({ token: TOKEN, timings: { snapshotMs: 3_000 } });
  const apiUrl = await emulator.start();
  try {
    const ids = Array.from({ length: servers }, (_, i) => 20_000 + i);
    for (const id of ids) emulator.model.addServer(TOKEN, id);
    const run = await runAction('main', {
      inputs: { api_url: apiUrl, api_token: TOKEN, server_id: ids.join(',') },
      timeoutMs: 120_000,
    });
    if (run.exitCode !== 0) throw new Error(`fleet of ${servers} failed:\n${run.stdout}`);
    const creates = emulator.requests('create');
    const lastCreate = creates.at(-1)?.at ?? 0;
    const polls = emulator.requests('list').filter((r) => r.at > lastCreate);
    const pollCount = polls.filter((r) => r.query.page === undefined).length;
    return {
      servers,
      wallMs: run.durationMs,
      createRequests: creates.length,
      pollCount,
      listRequestsWhileWaiting: polls.length,
      requestsPerPoll: pollCount ? polls.length / pollCount : Number.NaN,
    };
  } finally {
    await emulator.stop();
  }
}
