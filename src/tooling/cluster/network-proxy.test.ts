// The proxy against fake upstreams on loopback: routed Service ports, pass-through, refusals, and tunnels
// closed when their route changes. No cluster: the ClusterIP lookup is a table.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkProxy } from './network-proxy.ts';
import { encodeRoutes, routesFile } from './routes.ts';
import { setFault } from './proxy-faults.ts';

let dir: string;
let proxy: NetworkProxy;
const logs: string[] = [];
const servers: Server[] = [];

/** A TCP server answering every chunk with `<name>:<chunk>`. */
async function echo(name: string, host = '127.0.0.1'): Promise<number> {
  const server = createServer((s) => s.on('data', (d) => s.write(`${name}:${d}`)).on('error', () => {}));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, host, r));
  return (server.address() as AddressInfo).port;
}

let routedPort: number;
let directPort: number;
let clusterIPPort: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lws-proxy-'));
  routedPort = await echo('routed');
  directPort = await echo('direct');
  clusterIPPort = await echo('cluster-ip', '127.0.0.2');
  proxy = new NetworkProxy({
    socketPath: join(dir, 'network-proxy.sock'),
    routesDir: dir,
    // 127.0.0.2 plays a Service ClusterIP (it is loopback, so pass-through can reach it too).
    lookup: async (ip, port) => (ip === '127.0.0.2' ? { namespace: 'ns', name: 'hook', port } : undefined),
    log: (l) => logs.push(l),
  });
  await proxy.listen();
});
after(async () => {
  await proxy.close();
  for (const s of servers) s.close();
  await rm(dir, { recursive: true, force: true });
});

const setRoutes = (routes: Record<string, string>) =>
  writeFile(routesFile(dir), encodeRoutes(new Map(Object.entries(routes))));

/** Opens a tunnel; resolves with the status line and the socket (already past the response head). */
function tunnel(target: string, extra = ''): Promise<{ status: string; socket: Socket; early: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(join(dir, 'network-proxy.sock'), () =>
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${extra}`),
    );
    let data = '';
    const onData = (d: Buffer) => {
      data += d.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      resolve({ status: data.split('\r\n', 1)[0]!, socket, early: data.slice(end + 4) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

/** Writes `text` (if any) and collects what comes back until it is `expected.length` long. */
const ask = (socket: Socket, text: string, expected: string, already = '') =>
  new Promise<string>((resolve, reject) => {
    let got = already;
    const check = () => {
      if (got.length < expected.length) return;
      socket.off('data', onData);
      resolve(got);
    };
    const onData = (d: Buffer) => {
      got += d.toString();
      check();
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${JSON.stringify(got)}`)));
    if (text) socket.write(text);
    check();
  });

const closed = (socket: Socket) => new Promise<void>((r) => (socket.destroyed ? r() : socket.once('close', () => r())));

test('a Service port with a route is spliced to the route target', async () => {
  await setRoutes({ 'ns/hook:443': `127.0.0.1:${routedPort}` });
  const { status, socket } = await tunnel('127.0.0.2:443');
  assert.equal(status, 'HTTP/1.1 200 Connection established');
  assert.equal(await ask(socket, 'hello', 'routed:hello'), 'routed:hello');
  socket.destroy();
  assert.ok(
    logs.some((l) => l.includes(`CONNECT 127.0.0.2:443 → 127.0.0.1:${routedPort} (route of Service ns/hook:443)`)),
  );
});

test('bytes sent right after the request head are forwarded', async () => {
  const { socket, early } = await tunnel('127.0.0.2:443', 'early');
  assert.equal(await ask(socket, '', 'routed:early', early), 'routed:early');
  socket.destroy();
});

test('everything else passes through: other addresses, and Service ports without a route', async () => {
  const plain = await tunnel(`127.0.0.1:${directPort}`);
  assert.equal(plain.status, 'HTTP/1.1 200 Connection established');
  assert.equal(await ask(plain.socket, 'x', 'direct:x'), 'direct:x');
  plain.socket.destroy();

  const unrouted = await tunnel(`127.0.0.2:${clusterIPPort}`); // ns/hook:<clusterIPPort> has no route
  assert.equal(unrouted.status, 'HTTP/1.1 200 Connection established');
  assert.equal(await ask(unrouted.socket, 'y', 'cluster-ip:y'), 'cluster-ip:y');
  unrouted.socket.destroy();
  assert.ok(logs.some((l) => l.includes(`direct (Service ns/hook:${clusterIPPort} has no route)`)));
});

test('an unreachable target answers 502 with the reason; non-CONNECT requests are refused', async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  const failed = await tunnel(`127.0.0.1:${closedPort}`);
  assert.match(failed.status, /^HTTP\/1\.1 502 direct: connect ECONNREFUSED/);
  await closed(failed.socket);

  const get = await new Promise<string>((resolve) => {
    const s = connect(join(dir, 'network-proxy.sock'), () => s.write('GET / HTTP/1.1\r\n\r\n'));
    s.on('data', (d) => resolve(d.toString()));
  });
  assert.match(get, /^HTTP\/1\.1 405 Method Not Allowed/);
});

test('removing or changing a route closes the tunnels that used it; other tunnels stay', async () => {
  await setRoutes({ 'ns/hook:443': `127.0.0.1:${routedPort}` });
  const routed = await tunnel('127.0.0.2:443');
  const plain = await tunnel(`127.0.0.1:${directPort}`);
  await setRoutes({});
  await closed(routed.socket);
  assert.equal(await ask(plain.socket, 'still', 'direct:still'), 'direct:still');
  plain.socket.destroy();

  await setRoutes({ 'ns/hook:443': `127.0.0.1:${routedPort}` });
  const again = await tunnel('127.0.0.2:443');
  await setRoutes({ 'ns/hook:443': `127.0.0.1:${directPort}` });
  await closed(again.socket);
  const moved = await tunnel('127.0.0.2:443');
  assert.equal(await ask(moved.socket, 'z', 'direct:z'), 'direct:z');
  moved.socket.destroy();
});

test('a client that finishes sending still gets the whole answer (half-close)', async () => {
  const server = createServer({ allowHalfOpen: true }, (s) => {
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('end', () => s.end(`after end: ${got}`));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { socket, status } = await tunnel(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  assert.equal(status, 'HTTP/1.1 200 Connection established');
  const answer = new Promise<string>((resolve) => {
    let got = '';
    socket.on('data', (d) => (got += d));
    socket.on('end', () => resolve(got));
  });
  socket.end('request');
  assert.equal(await answer, 'after end: request');
});

test('injected faults: refuse answers 502, delay holds the dial, reset cuts the tunnel mid-request, and clearing restores', async () => {
  await setRoutes({ 'ns/hook:443': `127.0.0.1:${routedPort}` });
  await setFault(dir, 'ns/hook:443', { mode: 'refuse' });
  const refused = await tunnel('127.0.0.2:443');
  assert.match(refused.status, /^HTTP\/1.1 502 .*connection refused/);
  refused.socket.destroy();

  await setFault(dir, 'ns/hook:443', { mode: 'delay', delayMs: 300 });
  const started = Date.now();
  const delayed = await tunnel('127.0.0.2:443');
  assert.equal(delayed.status, 'HTTP/1.1 200 Connection established');
  assert.ok(Date.now() - started >= 250, 'the dial waited');
  assert.equal(await ask(delayed.socket, 'late', 'routed:late'), 'routed:late');

  await setFault(dir, 'ns/hook:443', { mode: 'reset', afterBytes: 10 });
  await closed(delayed.socket); // a changed fault closes the tunnels opened before
  const reset = await tunnel('127.0.0.2:443');
  assert.equal(reset.status, 'HTTP/1.1 200 Connection established');
  assert.equal(await ask(reset.socket, 'short', 'routed:short'), 'routed:short');
  reset.socket.on('error', () => {});
  reset.socket.write('more than ten bytes');
  await closed(reset.socket);

  await setFault(dir, 'ns/hook:443', undefined);
  const healthy = await tunnel('127.0.0.2:443');
  assert.equal(await ask(healthy.socket, 'ok', 'routed:ok'), 'routed:ok');
  healthy.socket.destroy();
});
