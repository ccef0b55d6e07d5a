import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerCommand, controllerEnv } from './controllers.ts';

const common = ['--kubeconfig=/k', '--config=/c.yaml'];

test('lws-ts runs with the image V8 flags before the entry point and the lever flags after the common ones', () => {
  const [command, args] = controllerCommand('ts', common, {
    nodeArgs: ['--max-semi-space-size=1'],
    tsArgs: ['--workers=4'],
    lwsctl: '/other/bin/lwsctl.js',
  });
  assert.equal(command, process.execPath);
  assert.deepEqual(args, [
    '--max-semi-space-size=1',
    '/other/bin/lwsctl.js',
    'controller',
    '--kubeconfig=/k',
    '--config=/c.yaml',
    '--workers=4',
  ]);
});

test('without levers lws-ts gets the common flags only; upstream never gets the lws-ts flags', () => {
  const [, ts] = controllerCommand('ts', common, {});
  assert.deepEqual(ts.slice(-3), ['controller', ...common]);
  assert.match(ts[0]!, /bin\/lwsctl\.js$/);
  assert.deepEqual(controllerCommand('go', common, { upstreamPath: '/go/manager', tsArgs: ['--workers=4'] }), [
    '/go/manager',
    common,
  ]);
});

test('controllers run without the host-only NODE_EXTRA_CA_CERTS unless a lever sets it', () => {
  const host = { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ssl/bundle.crt', HOME: '/root' };
  assert.deepEqual(controllerEnv(host), { PATH: '/bin', HOME: '/root' });
  assert.deepEqual(controllerEnv(host, { NODE_EXTRA_CA_CERTS: '/x.crt', MALLOC_ARENA_MAX: '2' }), {
    PATH: '/bin',
    HOME: '/root',
    NODE_EXTRA_CA_CERTS: '/x.crt',
    MALLOC_ARENA_MAX: '2',
  });
  assert.equal(host.NODE_EXTRA_CA_CERTS, '/etc/ssl/bundle.crt', "the bench's own environment is left alone");
});
