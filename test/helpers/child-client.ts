// Runs the real SnapshotsClient in a child Node process, for what Node reads only at start-up
// (NODE_EXTRA_CA_CERTS). The child blocks every DNS lookup, so a request that is not proxied fails at once
// instead of leaving the machine; it reports what it tried to look up.
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const CLIENT = pathToFileURL(fileURLToPath(new URL('../../src/api/client.ts', import.meta.url))).href;

export interface ChildResult {
  /** The IDs listed, when the call succeeded. */
  ids?: number[];
  error?: string;
  /** Host names the child was asked to resolve (and refused). */
  blocked: string[];
}

function script(baseUrl: string, token: string, serverId: number): string {
  return `
import dns from 'node:dns';
const blocked = [];
dns.lookup = (host, options, callback) => {
  const done = typeof options === 'function' ? options : callback;
  blocked.push(host);
  process.nextTick(() => done(Object.assign(new Error('lookup of ' + host + ' blocked by the test'), { code: 'EBLOCKED' })));
};
const { SnapshotsClient } = await import(${JSON.stringify(CLIENT)});
const client = new SnapshotsClient({ baseUrl: ${JSON.stringify(baseUrl)}, token: ${JSON.stringify(token)}, retry: { attempts: 1 } });
let result;
try {
  result = { ids: (await client.listSnapshots(${serverId})).map((s) => s.id) };
} catch (error) {
  result = { error: error.message };
}
await client.close();
console.log(JSON.stringify({ ...result, blocked }));
`;
}

/** Lists a server's snapshots from a child process with only `env` (and PATH) set. */
export async function listInChild(
  baseUrl: string,
  token: string,
  serverId: number,
  env: Record<string, string>,
): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script(baseUrl, token, serverId)],
    { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15_000 },
  );
  return JSON.parse(stdout) as ChildResult;
}
