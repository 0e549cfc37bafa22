// The fault kinds that spoil an answer's body, type or links: stall, html, wrongtype, nextloop, gone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, GARBAGE_PAGE, parseFault } from '../../emulator/index.ts';
import { caller, readFor, TOKEN } from './helpers.ts';

let emulator: Emulator;
let base: string;
const call = caller(() => base);
const count = async () => (await call('GET', '/snapshots/')).json.count;

beforeEach(async () => {
  emulator = new Emulator({ token: TOKEN });
  base = await emulator.start();
});
afterEach(() => emulator.stop());

describe('stall', () => {
  it('sends the headers and half of a read, then holds the connection', async () => {
    const full = (await call('GET', '/snapshots/')).text;
    emulator.faults.add(parseFault('list:stall@1'));
    const got = await readFor(`${base}/snapshots/`, 'GET', 300);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/json');
    expect(Number(got.headers['content-length'])).toBe(Buffer.byteLength(full));
    expect(got.received.toString()).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(got.ended).toBe(false);
    expect(emulator.log.at(-1)).toMatchObject({ route: 'list', status: 'stall', fault: 'stall' });
    expect((await call('GET', '/snapshots/')).text).toBe(full);
  });

  it('stalls the server read too', async () => {
    emulator.faults.add(parseFault('server:stall@1'));
    const got = await readFor(`${base}/servers/12345/`, 'GET', 200);
    const full = '{"id":12345,"name":"web-server-01","status":"running"}';
    expect(got.received.toString()).toBe(full.slice(0, full.length / 2));
    expect(got.headers['content-length']).toBe(String(full.length));
    expect(got.ended).toBe(false);
  });

  it.each([
    ['create', 'POST', '/snapshots/'],
    ['delete', 'DELETE', '/snapshots/801/'],
    ['restore', 'POST', '/snapshots/801/restore/'],
  ])('does not do the work of %s', async (route, method, path) => {
    emulator.faults.add(parseFault(`${route}:stall@1`));
    const got = await readFor(`${base}${path}`, method, 200);
    expect(got).toMatchObject({ status: 200, ended: false });
    expect(got.headers['content-type']).toBe('application/json');
    expect(await count()).toBe(2);
    expect((await call('GET', '/servers/12345/')).json.status).toBe('running');
  });

  it('lets the client give up, and stop() ends a held connection', async () => {
    emulator.faults.add(parseFault('list:stall@2'));
    const res = await fetch(`${base}/snapshots/`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      signal: AbortSignal.timeout(300),
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    const held = await fetch(`${base}/snapshots/`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = held.text();
    await emulator.stop();
    await expect(body).rejects.toThrow();
  });
});

describe('html', () => {
  it("answers a proxy's error page with the status asked, without doing the work", async () => {
    emulator.faults.add(parseFault('create:html:502@1'));
    const res = await call('POST', '/snapshots/', { server_id: 12345, name: 'x' });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.text).toMatch(/<title>502 Bad Gateway<\/title>/);
    expect(await count()).toBe(2);
    expect(emulator.log[0]).toMatchObject({ route: 'create', status: 502, fault: 'html 502' });
    expect(emulator.faults.injected.get('html 502')).toBe(1);
  });

  it('answers 200 with a sign-in page by default', async () => {
    emulator.faults.add(parseFault('server:html@1'));
    const res = await call('GET', '/servers/12345/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.text).toMatch(/<!DOCTYPE html>.*Network sign-in required/s);
  });

  it('keeps garbage as it was: 200 and a gateway page', async () => {
    emulator.faults.add(parseFault('delete:garbage@1'));
    const res = await call('DELETE', '/snapshots/801/');
    expect(res).toMatchObject({ status: 200, text: GARBAGE_PAGE });
    expect(await count()).toBe(2);
  });
});

describe('wrongtype', () => {
  it('does a read and sends its JSON under text/html', async () => {
    emulator.faults.add(parseFault('list:wrongtype@1'));
    const res = await call('GET', '/snapshots/?server_id=12345');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.json.count).toBe(2);
    expect(emulator.log[0]).toMatchObject({ status: 200, fault: 'wrongtype' });
  });

  it('keeps the status of a failed read', async () => {
    emulator.faults.add(parseFault('server:wrongtype@1'));
    const res = await call('GET', '/servers/999/');
    expect(res).toMatchObject({ status: 404, json: { detail: 'Not found.' } });
    expect(res.headers.get('content-type')).toBe('text/html');
  });

  it.each([
    ['create', 'POST', '/snapshots/'],
    ['delete', 'DELETE', '/snapshots/801/'],
  ])('answers %s 200 text/html without doing the work', async (route, method, path) => {
    emulator.faults.add(parseFault(`${route}:wrongtype@1`));
    const res = await call(method, path, method === 'POST' ? { server_id: 12345, name: 'x' } : undefined);
    expect(res).toMatchObject({ status: 200, json: { detail: 'Request received.' } });
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await count()).toBe(2);
  });
});

describe('nextloop', () => {
  it("points every page's next back to page 1 of the same query", async () => {
    emulator.paginate(1);
    emulator.faults.add(parseFault('list:nextloop@3'));
    const first = await call('GET', '/snapshots/?server_id=12345');
    expect(first.json.next).toBe(`${base}/snapshots/?server_id=12345`);
    const second = await call('GET', '/snapshots/?server_id=12345&page=2');
    expect(second.json).toMatchObject({
      next: `${base}/snapshots/?server_id=12345`,
      previous: `${base}/snapshots/?server_id=12345`,
      results: [expect.objectContaining({ id: 798 })],
    });
    emulator.paginate(20);
    expect((await call('GET', '/snapshots/')).json.next).toBe(`${base}/snapshots/`);
    expect((await call('GET', '/snapshots/')).json.next).toBeNull();
  });

  it('is taken only by lists, even on every route', async () => {
    emulator.faults.add(parseFault('*:nextloop@1'));
    expect((await call('GET', '/servers/12345/')).status).toBe(200);
    expect(emulator.log[0]?.fault).toBeUndefined();
    expect((await call('GET', '/snapshots/')).json.next).toBe(`${base}/snapshots/`);
  });
});

describe('gone', () => {
  it('deletes the snapshot, then answers 404 as if a concurrent run had', async () => {
    emulator.faults.add(parseFault('*:gone@1'));
    expect((await call('GET', '/snapshots/')).json.count).toBe(2);
    const res = await call('DELETE', '/snapshots/801/');
    expect(res).toMatchObject({ status: 404, json: { detail: 'Not found.' } });
    expect(await count()).toBe(1);
    expect(emulator.requests('delete')[0]).toMatchObject({
      status: 404,
      fault: 'gone',
      detail: 'Not found.',
    });
    expect(emulator.faults.injected.get('gone')).toBe(1);
  });
});

describe('a long Retry-After', () => {
  it('answers 429 with Retry-After: 40, without doing the work', async () => {
    emulator.faults.add(parseFault('create:status:429:40@1'));
    const res = await call('POST', '/snapshots/', { server_id: 12345, name: 'later' });
    expect(res).toMatchObject({ status: 429, json: { detail: 'Request was throttled.' } });
    expect(res.headers.get('retry-after')).toBe('40');
    expect(await count()).toBe(2);
    expect((await call('POST', '/snapshots/', { server_id: 12345, name: 'later' })).status).toBe(201);
  });
});

describe('parsing the new kinds', () => {
  it.each([
    ['list:stall@1', { route: 'list', kind: 'stall', count: 1 }],
    ['create:html:502', { route: 'create', kind: 'html', status: 502 }],
    ['*:html%0.5', { route: '*', kind: 'html', status: 200, rate: 0.5 }],
    ['server:wrongtype', { route: 'server', kind: 'wrongtype' }],
    ['list:nextloop@2', { route: 'list', kind: 'nextloop', count: 2 }],
    ['delete:gone', { route: 'delete', kind: 'gone' }],
  ])('parses %s', (text, fault) => {
    expect(parseFault(text)).toEqual(fault);
  });

  it.each([
    ['create:nextloop', /nextloop applies only to the list route/],
    ['list:gone', /gone applies only to the delete route/],
    ['list:html:100', /html needs a code from 200 to 599/],
  ])('refuses %s', (text, message) => {
    expect(() => parseFault(text)).toThrow(message);
  });
});
