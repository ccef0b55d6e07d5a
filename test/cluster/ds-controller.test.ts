// The DisaggregatedSet controller against the real control plane, with `lwsctl run` (started by the global setup)
// as the controller: child LeaderWorkerSets with upstream's names and labels, per-role headless Services, the
// coordinated rolling update across roles, role add/remove, placement affinity, RoleScaler /scale (kubectl scale,
// HPA) and garbage collection of everything through owner references.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import type { Kubectl } from '../../src/tooling/testing/kubectl.ts';
import { eventually } from '../../src/tooling/testing/wait.ts';
import { computeRevision, goRoleTemplatesEncoder } from '../../src/disaggregatedset/core/revision.ts';

type Json = Record<string, any>;
const TIMEOUT = 120_000;

function role(name: string, replicas: number, extra: Json = {}): Json {
  const { spec, ...rest } = extra;
  return {
    name,
    ...rest,
    spec: {
      replicas,
      leaderWorkerTemplate: {
        workerTemplate: { spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] } },
      },
      ...spec,
    },
  };
}

function disaggregatedSet(ns: string, name: string, roles: Json[], spec: Json = {}): Json {
  return {
    apiVersion: 'disaggregatedset.x-k8s.io/v1',
    kind: 'DisaggregatedSet',
    metadata: { name, namespace: ns },
    spec: { roles, ...spec },
  };
}

const apply = (kubectl: Kubectl, obj: Json) => kubectl.withInput(JSON.stringify(obj), 'apply', '-f', '-');
const getDS = (kubectl: Kubectl, ns: string, name: string) =>
  kubectl.json<Json>('get', 'disaggregatedsets.disaggregatedset.x-k8s.io', name, '-n', ns);
const listLWS = async (kubectl: Kubectl, ns: string) =>
  (await kubectl.json<{ items: Json[] }>('get', 'leaderworkersets.leaderworkerset.x-k8s.io', '-n', ns)).items;
const listServices = async (kubectl: Kubectl, ns: string) =>
  (await kubectl.json<{ items: Json[] }>('get', 'services', '-n', ns, '-l', 'disaggregatedset.x-k8s.io/name')).items;
const listPods = async (kubectl: Kubectl, ns: string) =>
  (await kubectl.json<{ items: Json[] }>('get', 'pods', '-n', ns)).items;
const ready = (p: Json) =>
  p.status?.phase === 'Running' && p.status?.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True');

/** The revision of the DisaggregatedSet as stored (CRD defaults applied), computed as upstream does. */
const revisionOf = (ds: Json) => computeRevision(ds.spec.roles, goRoleTemplatesEncoder);

/** spec.replicas of each child LWS, by "<revision>/<role>". */
const replicaMap = (items: Json[]) =>
  Object.fromEntries(
    items.map((l) => [
      `${l.metadata.labels['disaggregatedset.x-k8s.io/revision']}/${l.metadata.labels['disaggregatedset.x-k8s.io/role']}`,
      l.spec.replicas,
    ]),
  );

/** Waits until only `revision` remains, every role at its replicas with all groups ready. */
async function settled(kubectl: Kubectl, ns: string, revision: string, replicas: Record<string, number>) {
  return eventually(
    async () => {
      const items = await listLWS(kubectl, ns);
      const want = Object.fromEntries(Object.entries(replicas).map(([r, n]) => [`${revision}/${r}`, n]));
      assert.deepEqual(replicaMap(items), want);
      for (const l of items) assert.equal(l.status?.readyReplicas ?? 0, l.spec.replicas, l.metadata.name);
      return items;
    },
    { timeoutMs: TIMEOUT, message: `only revision ${revision} at ${JSON.stringify(replicas)}, ready` },
  );
}

/** Polls the child LWS until `done` holds, returning every distinct replica map seen on the way. */
async function sampleUntil(kubectl: Kubectl, ns: string, done: (m: Record<string, number>) => boolean) {
  const seen: Array<Record<string, number>> = [];
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const m = replicaMap(await listLWS(kubectl, ns));
    if (JSON.stringify(seen.at(-1)) !== JSON.stringify(m)) seen.push(m);
    if (done(m)) return seen;
    assert.ok(Date.now() < deadline, `rollout did not finish; states seen: ${JSON.stringify(seen)}`);
    await sleep(150);
  }
}

describe('DisaggregatedSet controller', () => {
  test('prefill/decode: child LWS with upstream names, labels and owner, headless Services, pods Ready, status', async () => {
    await withNamespace('ds', async (ns, kubectl) => {
      await apply(
        kubectl,
        disaggregatedSet(ns, 'pd', [
          role('prefill', 2, {
            metadata: {
              labels: { 'kueue.x-k8s.io/queue-name': 'prefill-queue', app: 'overridden' },
              annotations: { 'custom-lws-annotation': 'yes' },
            },
          }),
          role('decode', 1, {
            spec: {
              leaderWorkerTemplate: {
                size: 2,
                workerTemplate: {
                  metadata: { labels: { tier: 'decode' } },
                  spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] },
                },
              },
            },
          }),
        ]),
      );
      const ds = await getDS(kubectl, ns, 'pd');
      const rev = revisionOf(ds);
      const items = await settled(kubectl, ns, rev, { prefill: 2, decode: 1 });
      for (const l of items) {
        const r = l.metadata.labels['disaggregatedset.x-k8s.io/role'];
        assert.equal(l.metadata.name, `pd-0-${rev}-${r}`);
        assert.deepEqual(
          Object.fromEntries(Object.entries(l.metadata.labels).filter(([k]) => !k.startsWith('kueue'))),
          {
            app: `pd-0-${r}`,
            'disaggregatedset.x-k8s.io/name': 'pd',
            'disaggregatedset.x-k8s.io/role': r,
            'disaggregatedset.x-k8s.io/slice': '0',
            'disaggregatedset.x-k8s.io/revision': rev,
          },
        );
        assert.deepEqual(l.metadata.ownerReferences, [
          {
            apiVersion: 'disaggregatedset.x-k8s.io/v1',
            kind: 'DisaggregatedSet',
            name: 'pd',
            uid: ds.metadata.uid,
            controller: true,
          },
        ]);
        const templateLabels = l.spec.leaderWorkerTemplate.workerTemplate.metadata.labels;
        assert.equal(templateLabels['disaggregatedset.x-k8s.io/revision'], rev);
      }
      const prefill = items.find((l) => l.metadata.labels['disaggregatedset.x-k8s.io/role'] === 'prefill')!;
      assert.equal(prefill.metadata.labels['kueue.x-k8s.io/queue-name'], 'prefill-queue');
      assert.equal(prefill.metadata.annotations['custom-lws-annotation'], 'yes');

      const services = await eventually(async () => {
        const s = await listServices(kubectl, ns);
        assert.equal(s.length, 2);
        return s;
      });
      for (const s of services) {
        const r = s.metadata.labels['disaggregatedset.x-k8s.io/role'];
        assert.equal(s.metadata.name, `pd-0-${rev}-${r}-prv`);
        assert.equal(s.spec.clusterIP, 'None');
        assert.equal(s.spec.ports, undefined);
        assert.deepEqual(s.spec.selector, {
          'disaggregatedset.x-k8s.io/name': 'pd',
          'disaggregatedset.x-k8s.io/role': r,
          'disaggregatedset.x-k8s.io/revision': rev,
          'disaggregatedset.x-k8s.io/slice': '0',
        });
      }
      await eventually(
        async () => {
          const pods = await listPods(kubectl, ns);
          assert.equal(pods.length, 2 + 2, 'two prefill groups of 1, one decode group of 2');
          assert.ok(pods.every(ready), 'all pods Ready');
          assert.ok(pods.filter((p) => p.metadata.labels.tier === 'decode').length === 2);
        },
        { timeoutMs: TIMEOUT },
      );
      // Upstream main's status (#933, #980).
      await eventually(async () => {
        const status = (await getDS(kubectl, ns, 'pd')).status;
        assert.equal(status?.observedGeneration, 1);
        assert.deepEqual(status?.roleStatuses, [
          { name: 'prefill', replicas: 2, readyReplicas: 2, updatedReplicas: 2 },
          { name: 'decode', replicas: 1, readyReplicas: 1, updatedReplicas: 1 },
        ]);
        const available = status?.conditions?.find((c: Json) => c.type === 'Available');
        assert.equal(available?.status, 'True');
        assert.equal(available?.reason, 'AllRolesReady');
      });
    });
  });

  test('rolling update across roles: surge 1 per role on every observed state, old revision drained and deleted', async () => {
    await withNamespace('ds', async (ns, kubectl) => {
      const roles = (image: string) =>
        ['prefill', 'decode'].map((r) =>
          role(r, 3, {
            spec: {
              leaderWorkerTemplate: { workerTemplate: { spec: { containers: [{ name: 'main', image }] } } },
            },
          }),
        );
      await apply(kubectl, disaggregatedSet(ns, 'roll', roles('registry.k8s.io/pause:3.9')));
      const oldRev = revisionOf(await getDS(kubectl, ns, 'roll'));
      await settled(kubectl, ns, oldRev, { prefill: 3, decode: 3 });

      await apply(kubectl, disaggregatedSet(ns, 'roll', roles('registry.k8s.io/pause:3.10')));
      const newRev = revisionOf(await getDS(kubectl, ns, 'roll'));
      assert.notEqual(newRev, oldRev);
      const seen = await sampleUntil(
        kubectl,
        ns,
        (m) => Object.keys(m).length === 2 && m[`${newRev}/prefill`] === 3 && m[`${newRev}/decode`] === 3,
      );
      assert.ok(seen.length >= 3, `intermediate states: ${JSON.stringify(seen)}`);
      for (const m of seen) {
        for (const r of ['prefill', 'decode']) {
          const total = (m[`${oldRev}/${r}`] ?? 0) + (m[`${newRev}/${r}`] ?? 0);
          assert.ok(total <= 3 + 1, `${r}: ${total} groups exceed replicas + maxSurge in ${JSON.stringify(m)}`);
        }
      }
      await settled(kubectl, ns, newRev, { prefill: 3, decode: 3 });
      const reasons = (
        await kubectl.json<{ items: Json[] }>(
          'get',
          'events.events.k8s.io',
          '-n',
          ns,
          '--field-selector',
          'regarding.kind=DisaggregatedSet',
        )
      ).items.map((e) => [e.reason, e.note]);
      assert.ok(
        reasons.some(([r, n]) => r === 'RollingUpdateStarted' && n === `Started rolling update to revision ${newRev}`),
      );
      // The drained LWS of the old revision are deleted (upstream's RollingUpdateCompleted only fires when a pass
      // finds nothing left to plan while old groups still exist, which a final joint scale-down skips).
      await eventually(async () => {
        const notes = (await kubectl.json<{ items: Json[] }>('get', 'events.events.k8s.io', '-n', ns)).items.map(
          (e) => `${e.reason}: ${e.note}`,
        );
        for (const r of ['prefill', 'decode']) {
          assert.ok(notes.includes(`LWSDeleted: Deleted drained LWS roll-0-${oldRev}-${r}`), JSON.stringify(notes));
        }
      });
    });
  });

  test('scaling changes no revision; slices multiply the LWS; a rollout with percentages completes in every slice', async () => {
    await withNamespace('ds', async (ns, kubectl) => {
      const pct = { rolloutStrategy: { rollingUpdateConfiguration: { maxSurge: '50%', maxUnavailable: '50%' } } };
      const roles = (prefill: number, image = 'registry.k8s.io/pause:3.9') =>
        [
          ['prefill', prefill],
          ['decode', 2],
        ].map(([r, n]) =>
          role(r as string, n as number, {
            spec: {
              ...pct,
              leaderWorkerTemplate: { workerTemplate: { spec: { containers: [{ name: 'main', image }] } } },
            },
          }),
        );
      await apply(kubectl, disaggregatedSet(ns, 'sc', roles(2), { slices: 2 }));
      const rev = revisionOf(await getDS(kubectl, ns, 'sc'));
      const bySlice = async () =>
        Object.fromEntries((await listLWS(kubectl, ns)).map((l) => [l.metadata.name, l.spec.replicas]));
      await eventually(
        async () =>
          assert.deepEqual(await bySlice(), {
            [`sc-0-${rev}-prefill`]: 2,
            [`sc-0-${rev}-decode`]: 2,
            [`sc-1-${rev}-prefill`]: 2,
            [`sc-1-${rev}-decode`]: 2,
          }),
        { timeoutMs: TIMEOUT },
      );
      // Replicas are not part of the revision: scaling patches the same LWS in every slice.
      await apply(kubectl, disaggregatedSet(ns, 'sc', roles(4), { slices: 2 }));
      assert.equal(revisionOf(await getDS(kubectl, ns, 'sc')), rev);
      await eventually(
        async () => {
          const m = await bySlice();
          assert.equal(m[`sc-0-${rev}-prefill`], 4);
          assert.equal(m[`sc-1-${rev}-prefill`], 4);
          assert.equal(Object.keys(m).length, 4);
        },
        { timeoutMs: TIMEOUT },
      );
      await eventually(
        async () => {
          for (const l of await listLWS(kubectl, ns)) assert.equal(l.status?.readyReplicas, l.spec.replicas);
        },
        { timeoutMs: TIMEOUT },
      );
      // A rollout with percentages (maxSurge and maxUnavailable 50%), per slice.
      await apply(kubectl, disaggregatedSet(ns, 'sc', roles(4, 'registry.k8s.io/pause:3.10'), { slices: 2 }));
      const next = revisionOf(await getDS(kubectl, ns, 'sc'));
      const seen = await sampleUntil(kubectl, ns, (m) => Object.keys(m).length === 2 && m[`${next}/prefill`] === 4);
      assert.ok(seen.length >= 2);
      await eventually(
        async () =>
          assert.deepEqual(await bySlice(), {
            [`sc-0-${next}-prefill`]: 4,
            [`sc-0-${next}-decode`]: 2,
            [`sc-1-${next}-prefill`]: 4,
            [`sc-1-${next}-decode`]: 2,
          }),
        { timeoutMs: TIMEOUT },
      );
    });
  });

  test('mid-rollout change A→B→C: the newer old revision B drains first, A keeps serving until B is gone', async () => {
    await withNamespace('ds', async (ns, kubectl) => {
      // B's pods turn Ready only after 2 s (kwok), so B cannot finish rolling out before C is applied — with a
      // fast controller it otherwise could, and then there is no mid-rollout state left to test.
      const roles = (image: string, readyDelay?: string) =>
        ['prefill', 'decode'].map((r) =>
          role(r, 4, {
            spec: {
              leaderWorkerTemplate: {
                workerTemplate: {
                  ...(readyDelay
                    ? { metadata: { annotations: { 'pod-ready.stage.kwok.x-k8s.io/delay': readyDelay } } }
                    : {}),
                  spec: { containers: [{ name: 'main', image }] },
                },
              },
            },
          }),
        );
      await apply(kubectl, disaggregatedSet(ns, 'abc', roles('registry.k8s.io/pause:3.9')));
      const a = revisionOf(await getDS(kubectl, ns, 'abc'));
      await settled(kubectl, ns, a, { prefill: 4, decode: 4 });
      await apply(kubectl, disaggregatedSet(ns, 'abc', roles('registry.k8s.io/pause:3.10', '2s')));
      const b = revisionOf(await getDS(kubectl, ns, 'abc'));
      // B partly rolled out (at least 2 ready prefill groups), then C.
      await eventually(
        async () => {
          const l = (await listLWS(kubectl, ns)).find((x) => x.metadata.name === `abc-0-${b}-prefill`);
          assert.ok((l?.status?.readyReplicas ?? 0) >= 2);
        },
        { timeoutMs: TIMEOUT, intervalMs: 100 },
      );
      await apply(kubectl, disaggregatedSet(ns, 'abc', roles('registry.k8s.io/pause:3.8')));
      const c = revisionOf(await getDS(kubectl, ns, 'abc'));
      const total = (m: Record<string, number>, rev: string) => (m[`${rev}/prefill`] ?? 0) + (m[`${rev}/decode`] ?? 0);
      const seen = await sampleUntil(kubectl, ns, (m) => Object.keys(m).length === 2 && total(m, c) === 8);
      for (const m of seen) {
        assert.ok(!(total(m, b) > 0 && total(m, a) === 0), `A drained while B still serves: ${JSON.stringify(m)}`);
      }
      assert.ok(
        seen.some((m) => total(m, b) === 0 && total(m, a) > 0),
        `B never drained before A: ${JSON.stringify(seen)}`,
      );
      await settled(kubectl, ns, c, { prefill: 4, decode: 4 });
      await eventually(async () => assert.equal((await listPods(kubectl, ns)).length, 8), { timeoutMs: TIMEOUT });
    });
  });

  test('role add and remove: a new role rolls in with the others, a removed role drains and goes', async () => {
    await withNamespace('ds', async (ns, kubectl) => {
      const two = [role('prefill', 1), role('decode', 1)];
      await apply(kubectl, disaggregatedSet(ns, 'nr', two));
      await settled(kubectl, ns, revisionOf(await getDS(kubectl, ns, 'nr')), { prefill: 1, decode: 1 });

      await apply(kubectl, disaggregatedSet(ns, 'nr', [role('encode', 2), ...two]));
      const three = revisionOf(await getDS(kubectl, ns, 'nr'));
      await settled(kubectl, ns, three, { encode: 2, prefill: 1, decode: 1 });

      await apply(kubectl, disaggregatedSet(ns, 'nr', two));
      const back = revisionOf(await getDS(kubectl, ns, 'nr'));
      await settled(kubectl, ns, back, { prefill: 1, decode: 1 });
      await eventually(async () => {
        const roles = (await listServices(kubectl, ns)).map((s) => s.metadata.labels['disaggregatedset.x-k8s.io/role']);
        assert.deepEqual(roles.sort(), ['decode', 'prefill']);
      });
    });
  });

  test('ownership (#983): a LeaderWorkerSet at a generated name that the set does not control is never adopted', async () => {
    await withNamespace('ds', async (ns, kubectl) => {
      // Roles as the apiserver stores them (CRD defaults written out), so the revision is known before creating.
      const stored = (name: string) =>
        role(name, 2, {
          spec: {
            leaderWorkerTemplate: {
              size: 1,
              restartPolicy: 'RecreateGroupOnPodRestart',
              workerTemplate: { spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] } },
            },
          },
        });
      const set = disaggregatedSet(ns, 'own', [stored('decode'), stored('prefill')]);
      const rev = revisionOf(set);
      const foreign = `own-0-${rev}-prefill`;
      await apply(kubectl, {
        apiVersion: 'leaderworkerset.x-k8s.io/v1',
        kind: 'LeaderWorkerSet',
        metadata: { name: foreign, namespace: ns },
        spec: {
          replicas: 1,
          leaderWorkerTemplate: {
            workerTemplate: { spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] } },
          },
        },
      });
      await apply(kubectl, set);
      assert.equal(revisionOf(await getDS(kubectl, ns, 'own')), rev);
      await eventually(
        async () => {
          const status = (await getDS(kubectl, ns, 'own')).status;
          assert.deepEqual(
            status?.roleStatuses?.map((r: Json) => [r.name, r.readyReplicas ?? 0]),
            [
              ['decode', 2],
              ['prefill', 0],
            ],
          );
        },
        { timeoutMs: TIMEOUT },
      );
      const lws = await kubectl.json<Json>('get', 'leaderworkersets.leaderworkerset.x-k8s.io', foreign, '-n', ns);
      assert.equal(lws.metadata.ownerReferences, undefined);
      assert.equal(lws.spec.replicas, 1);
      assert.equal(lws.metadata.labels?.['disaggregatedset.x-k8s.io/name'], undefined);
    });
  });

  test('placement policy ExclusiveTopology: affinity injected into the child LWS templates', async () => {
    await withNamespace('ds', async (ns, kubectl) => {
      await apply(
        kubectl,
        disaggregatedSet(ns, 'pl', [role('prefill', 1), role('decode', 1)], {
          placementPolicy: { type: 'ExclusiveTopology', topology: 'kubernetes.io/hostname' },
        }),
      );
      const items = await eventually(async () => {
        const items = await listLWS(kubectl, ns);
        assert.equal(items.length, 2);
        return items;
      });
      for (const l of items) {
        const affinity = l.spec.leaderWorkerTemplate.workerTemplate.spec.affinity;
        const text = JSON.stringify(affinity);
        assert.ok(affinity?.podAffinity && affinity?.podAntiAffinity, text);
        assert.match(text, /kubernetes\.io\/hostname/);
        assert.match(text, /disaggregatedset\.x-k8s\.io\/name/);
        assert.match(text, /disaggregatedset\.x-k8s\.io\/slice/);
      }
    });
  });

  test('External role: RoleScaler created, /scale served, kubectl scale and an HPA drive the role; GC on delete', async () => {
    await withNamespace('ds', async (ns, kubectl) => {
      await apply(
        kubectl,
        disaggregatedSet(ns, 'hpa', [role('prefill', 1, { scaling: { mode: 'External' } }), role('decode', 1)]),
      );
      const ds = await getDS(kubectl, ns, 'hpa');
      const scaler = await eventually(() => kubectl.json<Json>('get', 'dsrs', 'hpa-prefill', '-n', ns), {
        timeoutMs: TIMEOUT,
      });
      assert.equal(scaler.spec.replicas, 1);
      assert.deepEqual(
        scaler.metadata.ownerReferences.map((r: Json) => [r.kind, r.name, r.uid, r.controller]),
        [['DisaggregatedSet', 'hpa', ds.metadata.uid, true]],
      );
      const scale = JSON.parse(
        await kubectl(
          'get',
          '--raw',
          `/apis/disaggregatedset.x-k8s.io/v1/namespaces/${ns}/disaggregatedsetrolescalers/hpa-prefill/scale`,
        ),
      );
      assert.equal(scale.kind, 'Scale');
      assert.equal(scale.spec.replicas, 1);

      await kubectl('scale', 'disaggregatedsetrolescaler', 'hpa-prefill', '-n', ns, '--replicas=3');
      const rev = revisionOf(ds);
      await settled(kubectl, ns, rev, { prefill: 3, decode: 1 });
      await eventually(async () => {
        const s = await kubectl.json<Json>('get', 'dsrs', 'hpa-prefill', '-n', ns);
        assert.equal(s.status?.replicas, 3);
        assert.equal(
          s.status?.selector,
          'disaggregatedset.x-k8s.io/name=hpa,disaggregatedset.x-k8s.io/role=prefill,leaderworkerset.sigs.k8s.io/worker-index=0',
        );
        assert.equal(s.status?.conditions?.find((c: Json) => c.type === 'Ready')?.reason, 'Bound');
      });

      // An HPA reads the scale subresource (no metrics here: AbleToScale proves /scale works for it).
      await kubectl.withInput(
        JSON.stringify({
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'prefill', namespace: ns },
          spec: {
            scaleTargetRef: {
              apiVersion: 'disaggregatedset.x-k8s.io/v1',
              kind: 'DisaggregatedSetRoleScaler',
              name: 'hpa-prefill',
            },
            minReplicas: 1,
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
      await eventually(
        async () => {
          const hpa = await kubectl.json<Json>('get', 'hpa', 'prefill', '-n', ns);
          const able = hpa.status?.conditions?.find((c: Json) => c.type === 'AbleToScale');
          assert.equal(able?.status, 'True', JSON.stringify(hpa.status));
          assert.equal(hpa.status?.currentReplicas, 3);
        },
        { timeoutMs: TIMEOUT, message: 'HPA reads the RoleScaler /scale' },
      );
      await kubectl('delete', 'hpa', 'prefill', '-n', ns);

      // Deleting the set garbage-collects the scaler, the LWS, the Services and the pods.
      await kubectl('delete', 'disaggregatedsets.disaggregatedset.x-k8s.io', 'hpa', '-n', ns, '--wait=false');
      await eventually(
        async () => {
          assert.deepEqual(await listLWS(kubectl, ns), []);
          assert.deepEqual(await listServices(kubectl, ns), []);
          assert.equal(await kubectl.exists('dsrs', 'hpa-prefill', '-n', ns), false);
          assert.deepEqual(await listPods(kubectl, ns), []);
        },
        { timeoutMs: TIMEOUT, message: 'children garbage-collected' },
      );
    });
  });
});
