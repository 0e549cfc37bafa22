// What the bench shows and keeps: the printed tables, bench/results.json and bench/poll-schedule.svg.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../scripts/action-yml.ts';
import { pollInterval } from '../src/wait/poll.ts';
import type { FleetRun } from './fleet.ts';
import type { Pipeline } from './pipeline.ts';
import type { Startup } from './startup.ts';
import { WAIT_TARGETS, type Waiting } from './waiting.ts';

export interface Results {
  date: string;
  node: string;
  quick: boolean;
  startup: Startup;
  waiting: Waiting[];
  fleet: { one: FleetRun; many: FleetRun; wallTimeRatio: number };
  pipeline: Pipeline;
}

export function printStartup(start: Startup): void {
  console.log('start-up: a whole list run of dist/main versus `node -e 0`, interleaved, medians');
  console.table({
    'list run (ms)': start.listRunMs.toFixed(1),
    'bare node (ms)': start.bareNodeMs.toFixed(1),
    ratio: `${start.ratio.toFixed(2)} (target ≤ ${start.target})`,
    '@actions/core alone (ms)': `${start.coreOnlyMs.toFixed(1)} (ratio ${start.coreOnlyRatio.toFixed(2)})`,
    'undici alone (ms)': `${start.undiciOnlyMs.toFixed(1)} (ratio ${start.undiciOnlyRatio.toFixed(2)})`,
    '@actions/core + @actions/github context (ms)': `${start.githubContextMs.toFixed(1)} (ratio ${start.githubContextRatio.toFixed(2)})`,
    'main bundle (KiB)': start.mainBundleKiB.toFixed(0),
    'post bundle (KiB)': start.postBundleKiB.toFixed(0),
    'peak RSS (MiB)': `${start.peakRssMiB.toFixed(1)} (bare node ${start.bareNodePeakRssMiB.toFixed(1)})`,
  });
}

export function printWaiting(waits: Waiting[]): void {
  console.log(
    '\nwaiting: one snapshot on the emulator (3 s and 20 s in real time; 10 and 30 min on a simulated clock)',
  );
  console.table(
    waits.map((w) => {
      const target = WAIT_TARGETS[w.durationMs] ?? { lag: Number.NaN, requests: Number.NaN };
      return {
        operation: `${w.durationMs / 1000} s${w.simulated ? ' (simulated)' : ''}`,
        'noticed after (ms)': Math.round(w.detectionLagMs),
        'worst case (ms)': Math.round(pollInterval(w.durationMs)),
        'lag target (ms)': target.lag,
        'list requests': w.listRequests,
        'request target': Number.isFinite(target.requests) ? target.requests : '–',
        met: w.detectionLagMs <= target.lag && w.listRequests <= target.requests ? 'yes' : 'NO',
      };
    }),
  );
}

export function printFleet(one: FleetRun, many: FleetRun, ratio: number): void {
  console.log(
    `\nfleet: create on ${many.servers} servers in one step versus one (3 s snapshots, the bundle as the runner runs it)`,
  );
  console.table(
    [one, many].map((f) => ({
      servers: f.servers,
      'wall (ms)': Math.round(f.wallMs),
      creates: f.createRequests,
      polls: f.pollCount,
      'list requests per poll': f.requestsPerPoll.toFixed(2),
    })),
  );
  console.log(`fleet wall time ratio: ${ratio.toFixed(2)}`);
}

export function printPipeline(p: Pipeline): void {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `\npipeline: time to the deploy point, a ${s(p.snapshotMs)} s snapshot and a ${s(p.buildMs)} s build, ` +
      `median of ${p.rounds}; the ${p.code} (${p.codeWhy})`,
  );
  console.table(
    (['serial', 'overlap'] as const).map((name) => {
      const f = p[name];
      return {
        pattern: name,
        steps: [...f.steps.map((label, i) => `${label} ${s(f.stepsMs[i] ?? Number.NaN)} s`), 'deploy'].join(
          ' → ',
        ),
        'to deploy (s)': s(f.toDeployMs),
        requests: f.requests,
        'by route': Object.entries(f.byRoute)
          .map(([route, n]) => `${route} ${n}`)
          .join(', '),
      };
    }),
  );
  const rest =
    p.savingMs > p.overlapMs
      ? "the rest: the wait step's poll schedule starts afresh and notices the end sooner than the create's"
      : 'less the extra step (its start, its read and its polls)';
  console.log(
    `overlap saves ${s(p.savingMs)} s (${(100 * p.savingShare).toFixed(0)}% of the serial time); ` +
      `snapshot and build overlap for ${s(p.overlapMs)} s, ${rest}`,
  );
}

export function writeResults(results: Results): void {
  writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(ROOT, 'bench/poll-schedule.svg'), scheduleSvg());
  console.log('\nwrote bench/results.json and bench/poll-schedule.svg');
}

/** The poll schedule's points over 30 minutes: each poll's time, the interval after it, the running count. */
function schedulePoints(horizon: number): { t: number; interval: number; count: number }[] {
  const points: { t: number; interval: number; count: number }[] = [];
  let t = 0;
  let count = 0;
  while (t <= horizon) {
    count += 1;
    points.push({ t, interval: pollInterval(t), count });
    t += pollInterval(t);
  }
  return points;
}

export function scheduleSvg(): string {
  const width = 640;
  const height = 300;
  const pad = 40;
  const horizon = 1_800_000;
  const points = schedulePoints(horizon);
  const x = (ms: number) => pad + ((width - 2 * pad) * ms) / horizon;
  const yInterval = (ms: number) => height - pad - ((height - 2 * pad) * ms) / 16_000;
  const yCount = (n: number) => height - pad - ((height - 2 * pad) * n) / 160;
  const path = (f: (p: (typeof points)[number]) => number) =>
    points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${f(p).toFixed(1)}`).join(' ');
  const ticks = [0, 5, 10, 15, 20, 25, 30]
    .map((m) => `<text x="${x(m * 60_000)}" y="${height - pad + 16}" text-anchor="middle">${m}m</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<title>Poll schedule: interval and cumulative requests against elapsed time, 0 to 30 minutes</title>
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">Poll schedule: interval (blue, left, 0-16 s) and cumulative requests (orange, right, 0-160)</text>
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#888"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#888"/>
<line x1="${width - pad}" y1="${pad}" x2="${width - pad}" y2="${height - pad}" stroke="#888"/>
${ticks}
<text x="${pad - 4}" y="${yInterval(15_000)}" text-anchor="end">15s</text>
<text x="${width - pad + 4}" y="${yCount(146)}">146</text>
<path d="${path((p) => yInterval(p.interval))}" fill="none" stroke="#1f6feb" stroke-width="2"/>
<path d="${path((p) => yCount(p.count))}" fill="none" stroke="#d97706" stroke-width="2"/>
</svg>
`;
}
