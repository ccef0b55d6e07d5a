// LeaderWorkerSet lifecycle against the real control plane, with `lwsctl run` as the controller:
// creation (size 1 and > 1), scaling, foreground deletion, and self-healing of owned objects.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../src/tooling/testing/wait.ts';
import { withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { queries, names, isRunningReady } from '../../src/tooling/testing/cluster-queries.ts';
import * as keys from '../../src/lws/api/keys.ts';

describe('LeaderWorkerSet lifecycle', () => {
  test('size 3, 2 replicas: leader STS, one worker STS per group, pods with labels, Available', async () => {
    await withNamespace('lws', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(withChange(defaultLws(ns), (l) => (l.spec.leaderWorkerTemplate.size = 3)));
      const pods = await eventually(async () => {
        const pods = await q.pods();
        assert.deepEqual(names(pods), [
          'test-sample-0',
          'test-sample-0-1',
          'test-sample-0-2',
          'test-sample-1',
          'test-sample-1-1',
          'test-sample-1-2',
        ]);
        assert.ok(pods.every(isRunningReady), 'all pods Running/Ready');
        return pods;
      });
      assert.deepEqual(names(await q.statefulSets()), ['test-sample', 'test-sample-0', 'test-sample-1']);
      const revisionKeys = new Set(pods.map((p) => p.metadata.labels?.[keys.REVISION_KEY_LABEL]));
      assert.equal(revisionKeys.size, 1, 'one revision key on every pod');
      for (const p of pods) {
        const [, group, worker] = /^test-sample-(\d)(?:-(\d))?$/.exec(p.metadata.name!)!;
        assert.equal(p.metadata.labels?.[keys.SET_NAME_LABEL], 'test-sample');
        assert.equal(p.metadata.labels?.[keys.GROUP_INDEX_LABEL], group);
        assert.equal(p.metadata.labels?.[keys.WORKER_INDEX_LABEL], worker ?? '0');
        assert.equal(p.metadata.annotations?.[keys.SIZE_ANNOTATION], '3');
        const env = p.spec?.containers[0]?.env ?? [];
        assert.deepEqual(
          env.slice(0, 3).map((e) => [e.name, e.value]),
          [
            ['LWS_LEADER_ADDRESS', `test-sample-${group}.test-sample.${ns}`],
            ['LWS_GROUP_SIZE', '3'],
            ['LWS_WORKER_INDEX', worker ?? '0'],
          ],
        );
        assert.equal(p.spec?.subdomain, 'test-sample');
      }
      await eventually(async () => {
        const lws = await q.lws('test-sample');
        const available = lws.status?.conditions?.find((c) => c.type === 'Available');
        assert.equal(available?.status, 'True');
        assert.equal(available?.message, 'All replicas are ready');
        assert.equal(lws.status?.readyReplicas, 2);
        assert.equal(lws.status?.replicas, 2);
        assert.equal(
          lws.status?.hpaPodSelector,
          'leaderworkerset.sigs.k8s.io/name=test-sample,leaderworkerset.sigs.k8s.io/worker-index=0',
        );
      });
      const services = await q.services();
      assert.deepEqual(names(services), ['test-sample']);
      assert.equal(services[0]!.spec?.clusterIP, 'None');
      assert.equal(services[0]!.spec?.publishNotReadyAddresses, true);
      const events = await q.events();
      assert.ok(
        events.some((e) => e.reason === 'GroupsProgressing' && e.note === 'Created leader statefulset test-sample'),
      );
      assert.ok(events.some((e) => e.note === 'Created worker statefulset for leader pod test-sample-0'));
    });
  });

  test('size 1: only the leader StatefulSet, no worker StatefulSets', async () => {
    await withNamespace('lws', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(
        withChange(defaultLws(ns), (l) => ((l.spec.leaderWorkerTemplate.size = 1), (l.spec.replicas = 3))),
      );
      await eventually(async () => {
        const pods = await q.pods();
        assert.deepEqual(names(pods), ['test-sample-0', 'test-sample-1', 'test-sample-2']);
        assert.ok(pods.every(isRunningReady));
        assert.equal(
          (await q.lws('test-sample')).status?.conditions?.find((c) => c.type === 'Available')?.status,
          'True',
        );
      });
      assert.deepEqual(names(await q.statefulSets()), ['test-sample']);
    });
  });

  test('scale up, down, to 0 and back through the scale subresource', async () => {
    await withNamespace('lws', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(defaultLws(ns));
      const expectGroups = async (n: number) =>
        eventually(async () => {
          const sts = await q.statefulSets();
          assert.equal(sts.find((s) => s.metadata.name === 'test-sample')?.spec?.replicas, n);
          assert.deepEqual(
            names(sts.filter((s) => s.metadata.name !== 'test-sample')),
            Array.from({ length: n }, (_, i) => `test-sample-${i}`),
          );
          assert.equal((await q.pods()).length, n * 2);
        });
      await expectGroups(2);
      for (const n of [4, 1, 0, 3]) {
        await kubectl('scale', 'leaderworkerset/test-sample', `--replicas=${n}`, '-n', ns);
        await expectGroups(n);
      }
    });
  });

  test('foreground deletion removes the LWS and everything it owns', async () => {
    await withNamespace('lws', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(defaultLws(ns));
      await eventually(async () => assert.equal((await q.pods()).filter(isRunningReady).length, 4));
      await kubectl('delete', 'leaderworkerset', 'test-sample', '-n', ns, '--cascade=foreground', '--wait=false');
      await eventually(async () => {
        assert.equal((await kubectl('get', 'leaderworkersets', '-n', ns, '-o', 'name')).trim(), '');
        assert.equal((await q.statefulSets()).length, 0);
        assert.equal((await q.pods()).length, 0);
        assert.equal((await q.services()).length, 0);
      });
    });
  });

  test('a deleted worker StatefulSet and a deleted Service come back', async () => {
    await withNamespace('lws', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(defaultLws(ns));
      const before = await eventually(async () => {
        const sts = (await q.statefulSets()).find((s) => s.metadata.name === 'test-sample-1');
        assert.ok(sts);
        return sts;
      });
      await kubectl('delete', 'statefulset', 'test-sample-1', '-n', ns, '--wait=false');
      await kubectl('delete', 'service', 'test-sample', '-n', ns, '--wait=false');
      await eventually(async () => {
        const sts = (await q.statefulSets()).find((s) => s.metadata.name === 'test-sample-1');
        assert.ok(sts && sts.metadata.uid !== before.metadata.uid, 'worker STS recreated');
        assert.deepEqual(names(await q.services()), ['test-sample']);
      });
    });
  });

  test('UniquePerReplica: one headless Service per group, owned by its leader pod', async () => {
    await withNamespace('lws', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(
        withChange(defaultLws(ns), (l) => (l.spec.networkConfig = { subdomainPolicy: 'UniquePerReplica' })),
      );
      await eventually(async () => {
        const services = await q.services();
        assert.deepEqual(names(services), ['test-sample-0', 'test-sample-1']);
        for (const s of services) {
          assert.equal(s.metadata.ownerReferences?.[0]?.kind, 'Pod');
          assert.equal(s.metadata.ownerReferences?.[0]?.name, s.metadata.name);
          assert.deepEqual(s.spec?.selector, {
            [keys.SET_NAME_LABEL]: 'test-sample',
            [keys.GROUP_INDEX_LABEL]: s.metadata.name!.slice(-1),
          });
        }
        const worker = (await q.pods()).find((p) => p.metadata.name === 'test-sample-1-1');
        assert.equal(worker?.spec?.subdomain, 'test-sample-1');
        assert.equal(
          worker?.spec?.containers[0]?.env?.find((e) => e.name === 'LWS_LEADER_ADDRESS')?.value,
          `test-sample-1.test-sample-1.${ns}`,
        );
      });
    });
  });

  test('pods of other workloads are left untouched by the pod webhook', async () => {
    await withNamespace('lws', async (ns, kubectl) => {
      await kubectl.withInput(
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'plain', namespace: ns, labels: { app: 'x' } },
          spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'A', value: '1' }] }] },
        }),
        'create',
        '-f',
        '-',
      );
      const pod = await kubectl.json<any>('get', 'pod', 'plain', '-n', ns);
      // (The apiserver's PodTopologyLabels admission may add topology labels at binding; ours adds none.)
      assert.deepEqual(
        Object.keys(pod.metadata.labels).filter((k) => k.startsWith('leaderworkerset.sigs.k8s.io/')),
        [],
      );
      assert.equal(pod.metadata.labels.app, 'x');
      assert.deepEqual(pod.metadata.annotations ?? {}, {});
      assert.deepEqual(pod.spec.containers[0].env, [{ name: 'A', value: '1' }]);
      assert.equal(pod.spec.subdomain, undefined);
    });
  });
});

describe('autoscaling', () => {
  test('the scale subresource exposes hpaPodSelector and an HPA can read it', async () => {
    await withNamespace('hpa', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(defaultLws(ns));
      const selector = 'leaderworkerset.sigs.k8s.io/name=test-sample,leaderworkerset.sigs.k8s.io/worker-index=0';
      await eventually(async () => {
        const path = `/apis/leaderworkerset.x-k8s.io/v1/namespaces/${ns}/leaderworkersets/test-sample/scale`;
        const scale = JSON.parse(await kubectl('get', '--raw', path));
        assert.equal(scale.spec.replicas, 2);
        assert.equal(scale.status.replicas, 2);
        assert.equal(scale.status.selector, selector);
      });
      await kubectl.withInput(
        JSON.stringify({
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'lws', namespace: ns },
          spec: {
            scaleTargetRef: { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'test-sample' },
            minReplicas: 3,
            maxReplicas: 5,
            metrics: [
              { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
            ],
          },
        }),
        'create',
        '-f',
        '-',
      );
      // No metrics server here, but the HPA reads the scale subresource and enforces minReplicas through it.
      await eventually(
        async () => {
          const hpa = await kubectl.json<any>('get', 'hpa', 'lws', '-n', ns);
          const able = hpa.status?.conditions?.find((c: any) => c.type === 'AbleToScale');
          assert.equal(able?.status, 'True', JSON.stringify(hpa.status?.conditions));
          assert.equal((await q.lws('test-sample')).spec.replicas, 3, 'HPA raised replicas to minReplicas');
        },
        { timeoutMs: 90_000 },
      );
      await eventually(async () => assert.equal((await q.pods()).length, 6));
    });
  });
});
