import { run } from '../step/post.ts';

await run();
