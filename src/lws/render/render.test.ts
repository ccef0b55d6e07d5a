import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render, RenderError } from './render.ts';
import { defaultLws, withChange } from '../../tooling/testing/lws-builder.ts';
import { revisionKey } from '../core/revision.ts';
import type { Pod } from '../../k8s/client/objects.ts';

test('renders the seed-shaped set: revision, leader STS, service, groups with env', () => {
  const lws = withChange(defaultLws('my-namespace', 'my-lws'), (l) => (l.spec.leaderWorkerTemplate.size = 3));
  const out = render(lws);
  const names = out.objects.map((o) => `${o.kind}/${o.metadata.name}`);
  assert.deepEqual(names, [
    `ControllerRevision/my-lws-${out.revisionKey}-1`,
    'StatefulSet/my-lws',
    'Service/my-lws',
    'Pod/my-lws-0',
    'StatefulSet/my-lws-0',
    'Pod/my-lws-0-1',
    'Pod/my-lws-0-2',
    'Pod/my-lws-1',
    'StatefulSet/my-lws-1',
    'Pod/my-lws-1-1',
    'Pod/my-lws-1-2',
  ]);
  assert.equal(out.revisionKey, revisionKey(out.leaderWorkerSet));
  const worker = out.objects.find((o) => o.metadata.name === 'my-lws-1-2') as Pod;
  assert.deepEqual(
    worker.spec!.containers[0]!.env!.map((e) => [e.name, e.value]),
    [
      ['LWS_LEADER_ADDRESS', 'my-lws-1.my-lws.my-namespace'],
      ['LWS_GROUP_SIZE', '3'],
      ['LWS_WORKER_INDEX', '2'],
    ],
  );
  assert.equal(worker.metadata.labels!['leaderworkerset.sigs.k8s.io/template-revision-hash'], out.revisionKey);
  assert.equal(worker.metadata.labels!['leaderworkerset.sigs.k8s.io/group-index'], '1');
});

test('a template edit changes the revision key', () => {
  const a = render(defaultLws('ns'));
  const b = render(
    withChange(
      defaultLws('ns'),
      (l) => (l.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.image = 'nginx:2'),
    ),
  );
  assert.notEqual(a.revisionKey, b.revisionKey);
  const c = render(withChange(defaultLws('ns'), (l) => (l.spec.replicas = 5)));
  assert.equal(a.revisionKey, c.revisionKey, 'replicas are not part of the revision');
});

test('UniquePerReplica renders one service per group; invalid specs are refused with the webhook message', () => {
  const out = render(
    withChange(defaultLws('ns'), (l) => (l.spec.networkConfig = { subdomainPolicy: 'UniquePerReplica' })),
  );
  assert.deepEqual(
    out.objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name),
    ['test-sample-0', 'test-sample-1'],
  );
  assert.throws(
    () => render(withChange(defaultLws('ns'), (l) => (l.spec.leaderWorkerTemplate.size = 0))),
    (e: unknown) => e instanceof RenderError && e.message.includes('spec.leaderWorkerTemplate.size: Invalid value: 0'),
  );
});
