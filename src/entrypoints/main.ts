import { run } from '../step/main.ts';

await run();
