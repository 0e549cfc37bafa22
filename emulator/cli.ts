// `npm run emulator -- --port 8787 --token dev-token`: the provider emulator on 127.0.0.1 until Ctrl-C.
import { parseArgs } from 'node:util';
import { parseFault } from './faults.ts';
import { Emulator } from './server.ts';
import { type LocalTimestamps, parseShift } from './timestamps.ts';
import { TEST_TLS_FILES, testTls } from './tls.ts';

const usage = `Usage: npm run emulator -- [options]
  --port N              port on 127.0.0.1 (default 8787; 0 picks a free one)
  --token T             API token that owns the seed data (default dev-token); repeatable
  --server ID[=NAME]    another server owned by the first token; repeatable
  --snapshot-time MS    how long a snapshot stays in_progress (default 2000)
  --restore-time MS     how long a restore keeps the server restoring (default 3000)
  --page-size N         snapshots per list page (default 20)
  --max-page-size N     the most a page_size parameter may ask for (default 100)
  --fail-snapshots      new snapshots end as failed
  --read-lag MS         reads (lists, server status) show the state as of MS ago (default 0)
  --ignore-server-filter  lists ignore server_id and return every snapshot of the account
  --hostile             hostile-text mode: every description, server name, message and error text
                        carries workflow commands, line breaks, markdown, HTML, ...; seeds servers
                        66601, 66602 with third-party snapshots 790-795 under hostile names
  --local-timestamps SHIFT  created_at in the provider's own clock, SHIFT ahead (+3h) or behind
                        (--local-timestamps=-5h), without an offset (2025-01-15T18:30:00)
  --fractional-seconds  with --local-timestamps: created_at with 0 to 9 digits of fraction, by ID
  --fault SPEC          ROUTE:KIND[:ARG][@COUNT|%RATE]; repeatable. ROUTE: list, create, restore, delete,
                        server or *. KIND: status:CODE[:RETRY_AFTER], latency:MS, hang, reset, stall,
                        html[:CODE], garbage, malformed, wrongtype, ambiguous[:CODE], nextloop (list),
                        gone (delete). E.g. create:ambiguous@1, list:status:429:40@3, server:stall%0.5
  --tls                 serve HTTPS with the test-only certificate for api.vps.test, localhost and
                        127.0.0.1 (emulator/tls/); clients trust it with NODE_EXTRA_CA_CERTS=emulator/tls/ca.pem
  --no-seed             start without the reference's server 12345 and snapshots 801, 798
See emulator/README.md for what each fault does.`;

const OPTIONS = {
  port: { type: 'string', default: '8787' },
  token: { type: 'string', multiple: true },
  server: { type: 'string', multiple: true },
  'snapshot-time': { type: 'string', default: '2000' },
  'restore-time': { type: 'string', default: '3000' },
  'page-size': { type: 'string', default: '20' },
  'max-page-size': { type: 'string', default: '100' },
  'fail-snapshots': { type: 'boolean', default: false },
  'read-lag': { type: 'string', default: '0' },
  'ignore-server-filter': { type: 'boolean', default: false },
  hostile: { type: 'boolean', default: false },
  'local-timestamps': { type: 'string' },
  'fractional-seconds': { type: 'boolean', default: false },
  tls: { type: 'boolean', default: false },
  fault: { type: 'string', multiple: true },
  'no-seed': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function number(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} '${text}' is not a whole number`);
  return value;
}

function localTimestamps(values: Values): LocalTimestamps | undefined {
  const shift = values['local-timestamps'];
  if (shift === undefined) {
    if (values['fractional-seconds']) throw new Error('--fractional-seconds needs --local-timestamps SHIFT');
    return undefined;
  }
  try {
    return { shiftMs: parseShift(shift), fractions: values['fractional-seconds'] };
  } catch (error) {
    throw new Error(`--local-timestamps ${(error as Error).message}`);
  }
}

/** The emulator the options describe, not yet started. */
function build(values: Values, tokens: string[]): Emulator {
  const [owner = 'dev-token'] = tokens;
  const emulator = new Emulator({
    token: owner,
    seed: !values['no-seed'],
    pageSize: Math.max(1, number('page-size', values['page-size'])),
    maxPageSize: Math.max(1, number('max-page-size', values['max-page-size'])),
    readLagMs: number('read-lag', values['read-lag']),
    ignoreServerFilter: values['ignore-server-filter'],
    hostile: values.hostile,
    localTimestamps: localTimestamps(values),
    timings: {
      snapshotMs: number('snapshot-time', values['snapshot-time']),
      restoreMs: number('restore-time', values['restore-time']),
    },
  });
  for (const token of tokens) emulator.model.addAccount(token);
  for (const spec of values.server ?? []) {
    const [id = '', name] = spec.split('=');
    emulator.model.addServer(owner, number('server', id), name);
  }
  if (values['fail-snapshots']) emulator.model.failingServers.add('*');
  emulator.faults.add(...(values.fault ?? []).map(parseFault));
  return emulator;
}

function main(): void {
  const { values } = parseArgs({ options: OPTIONS });
  if (values.help) {
    console.log(usage);
    return;
  }
  const tokens = values.token ?? ['dev-token'];
  const emulator = build(values, tokens);
  const port = number('port', values.port);
  emulator.start(values.tls ? { port, tls: testTls() } : { port }).then(
    (url) => {
      console.log(`VPS API emulator listening on ${url}`);
      if (values.tls) console.log(`test-only CA (trust it with NODE_EXTRA_CA_CERTS): ${TEST_TLS_FILES.ca}`);
      const servers = [...emulator.model.accounts.values()].flatMap((a) => [...a.servers.keys()]);
      console.log(`token(s): ${tokens.join(', ')}; servers: ${servers.join(', ') || 'none'}`);
      console.log('Ctrl-C stops it.');
    },
    (error: unknown) => {
      console.error(`emulator: cannot listen on 127.0.0.1:${values.port}: ${String(error)}`);
      process.exitCode = 1;
    },
  );
  const stop = () => {
    emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

try {
  main();
} catch (error) {
  console.error(`emulator: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  process.exitCode = 2;
}
