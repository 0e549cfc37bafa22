// For GitHub's local runner (@github/local-action), which calls the entry's run() and keeps state in
// memory for that one call: the main step, then the post step as the runner would run it after a
// later step of the job failed.
import { run as runMain } from '../../src/step/main.ts';
import { run as runPost } from '../../src/step/post.ts';

export async function run(): Promise<void> {
  await runMain();
  await runPost();
}
