// `npm run bench`: start-up, waiting, fleet and pipeline figures, measured side by side in one run.
// Prints a table and writes bench/results.json and bench/poll-schedule.svg. Not a test: nothing here fails on a number.
// `-- --quick`: fewer runs, shorter operations; `-- --code=bundle|source`: what the pipeline figure runs.
import { chooseCode } from './code.ts';
import { quick } from './common.ts';
import { fleet } from './fleet.ts';
import { pipeline } from './pipeline.ts';
import { printFleet, printPipeline, printStartup, printWaiting, writeResults } from './report.ts';
import { startup } from './startup.ts';
import { waitingFigures } from './waiting.ts';

async function main(): Promise<void> {
  console.log(`Benchmark on Node ${process.versions.node}${quick ? ' (quick)' : ''}\n`);
  const start = await startup();
  printStartup(start);

  const waits = await waitingFigures();
  printWaiting(waits);

  const one = await fleet(1);
  const many = await fleet(quick ? 10 : 40);
  const wallTimeRatio = many.wallMs / one.wallMs;
  printFleet(one, many, wallTimeRatio);

  const overlap = await pipeline(chooseCode());
  printPipeline(overlap);

  writeResults({
    date: new Date().toISOString(),
    node: process.versions.node,
    quick,
    startup: start,
    waiting: waits,
    fleet: { one, many, wallTimeRatio },
    pipeline: overlap,
  });
}

await main();
