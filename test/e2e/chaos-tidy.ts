// Between rounds: keeps servers under the limit now and then, and adds snapshots a soak should meet
// (the same name on two servers, old prefixed ones for rotation).
import type { Rng } from './chaos-random.ts';
import { PREFIX, SERVERS } from './chaos-types.ts';
import type { Fixture } from './fixture.ts';

let seeded = 0;

/** Between rounds, directly on the model (not through the API, so no run is blamed): room, twins, old ones. */
export function tidy(f: Fixture, rng: Rng): void {
  const model = f.model;
  const on = (server: number) =>
    [...model.snapshots.values()]
      .filter((s) => s.serverId === server)
      .sort((a, b) => a.createdAt - b.createdAt);
  for (const server of SERVERS) {
    const list = on(server);
    if (list.length >= 5 && rng.chance(0.6))
      for (const s of list.slice(0, rng.int(1, 2))) model.snapshots.delete(s.id);
  }
  const add = (serverId: number, name: string, daysAgo: number) =>
    model.addSnapshot({
      id: 5_000 + seeded++,
      serverId,
      name,
      description: 'added by the soak',
      createdAt: Date.now() - daysAgo * 86_400_000,
      readyAt: Date.now() - daysAgo * 86_400_000,
      sizeMb: 100,
    });
  const roomy = SERVERS.filter((s) => on(s).length < 4);
  if (roomy.length >= 2 && rng.chance(0.3)) {
    // The same name on two servers: a delete by name must take only its server's.
    const [a, b] = rng.shuffle(roomy) as [number, number];
    const name = `manual-${seeded}`;
    const daysAgo = rng.int(1, 20);
    add(a, name, daysAgo);
    add(b, name, daysAgo - 0.5);
  }
  const free = SERVERS.filter((s) => on(s).length < 5);
  if (free.length > 0 && rng.chance(0.4)) add(rng.pick(free), `${PREFIX}seed-${seeded}`, rng.int(1, 30));
}
