import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { egressSelectorConfiguration, networkProxyCommand, networkProxySocket } from './egress.ts';

test('one egress selection: cluster over HTTP CONNECT on the unix socket; controlplane and etcd stay direct', () => {
  assert.deepEqual(parse(egressSelectorConfiguration('/state/network-proxy.sock')), {
    apiVersion: 'apiserver.k8s.io/v1beta1',
    kind: 'EgressSelectorConfiguration',
    egressSelections: [
      {
        name: 'cluster',
        connection: { proxyProtocol: 'HTTPConnect', transport: { uds: { udsName: '/state/network-proxy.sock' } } },
      },
    ],
  });
});

test('the socket lives in the state directory and must fit a unix socket address', () => {
  assert.equal(networkProxySocket('/root/.cache/lws/clusters/t'), '/root/.cache/lws/clusters/t/network-proxy.sock');
  assert.throws(() => networkProxySocket('/' + 'x'.repeat(90)), /longer than 107 bytes/);
});

test('the proxy runs as `lwsctl cluster network-proxy` on this Node', () => {
  const { binary, args } = networkProxyCommand('t', '/state/t');
  assert.equal(binary, process.execPath);
  assert.match(args[0]!, /\/bin\/lwsctl\.js$/);
  assert.deepEqual(args.slice(1), ['cluster', 'network-proxy', '--name', 't', '--dir', '/state/t']);
});
