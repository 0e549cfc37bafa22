// `npm run emulator -- --port 8787 --token dev-token`: the provider emulator on 127.0.0.1 until Ctrl-C.
import { parseArgs } from 'node:util';
import { parseFault } from './faults.ts';
import { Emulator } from './server.ts';

const usage = `Usage: npm run emulator -- [options]
  --port N              port on 127.0.0.1 (default 8787; 0 picks a free one)
  --token T             API token that owns the seed data (default dev-token); repeatable
  --server ID[=NAME]    another server owned by the first token; repeatable
  --snapshot-time MS    how long a snapshot stays in_progress (default 2000)
  --restore-time MS     how long a restore keeps the server restoring (default 3000)
  --page-size N         snapshots per list page (default 20)
  --max-page-size N     the most a page_size parameter may ask for (default 100)
  --fail-snapshots      new snapshots end as failed
  --fault SPEC          ROUTE:KIND[:ARG][@COUNT|%RATE], e.g. create:ambiguous@1, list:status:429:2@3; repeatable
  --no-seed             start without the reference's server 12345 and snapshots 801, 798`;

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      token: { type: 'string', multiple: true },
      server: { type: 'string', multiple: true },
      'snapshot-time': { type: 'string', default: '2000' },
      'restore-time': { type: 'string', default: '3000' },
      'page-size': { type: 'string', default: '20' },
      'max-page-size': { type: 'string', default: '100' },
      'fail-snapshots': { type: 'boolean', default: false },
      fault: { type: 'string', multiple: true },
      'no-seed': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const number = (name: string, text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} '${text}' is not a whole number`);
    return value;
  };
  const tokens = values.token ?? ['dev-token'];
  const [owner = 'dev-token'] = tokens;
  const emulator = new Emulator({
    token: owner,
    seed: !values['no-seed'],
    pageSize: Math.max(1, number('page-size', values['page-size'])),
    maxPageSize: Math.max(1, number('max-page-size', values['max-page-size'])),
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

  emulator.start(number('port', values.port)).then(
    (url) => {
      console.log(`VPS API emulator listening on ${url}`);
      console.log(
        `token(s): ${tokens.join(', ')}; servers: ${[...emulator.model.accounts.values()].flatMap((a) => [...a.servers.keys()]).join(', ') || 'none'}`,
      );
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
