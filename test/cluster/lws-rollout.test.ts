// Rolling updates on the real control plane, written as step lists like upstream's integration tests:
// apply a change, watch the leader StatefulSet's partition/replicas and the groups move, check the end.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { consistently, eventually } from '../../src/tooling/testing/wait.ts';
import { withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { queries } from '../../src/tooling/testing/cluster-queries.ts';
import { GroupSampler, testClient } from '../../src/tooling/testing/group-sampler.ts';
import type { KubeClient } from '../../src/k8s/client/client.ts';
import type { LeaderWorkerSet } from '../../src/lws/api/types.ts';
import type { Kubectl } from '../../src/tooling/testing/kubectl.ts';
import { revisionKey } from '../../src/lws/core/revision.ts';
import * as keys from '../../src/lws/api/keys.ts';

const READY_DELAY = 'pod-ready.stage.kwok.x-k8s.io/delay';
const NEW_IMAGE = 'nginxinc/nginx-unprivileged:1.28';

let client: KubeClient;
before(async () => (client = await testClient()));
after(() => client.close());

/** The default object with a pod-ready delay so every rollout step stays observable. */
function rolloutLws(ns: string, change: (l: LeaderWorkerSet) => void = () => {}, delay = '1s'): LeaderWorkerSet {
  return withChange(defaultLws(ns), (l) => {
    l.spec.leaderWorkerTemplate.leaderTemplate!.metadata = { annotations: { [READY_DELAY]: delay } };
    l.spec.leaderWorkerTemplate.workerTemplate.metadata = { annotations: { [READY_DELAY]: delay } };
    change(l);
  });
}

function scenario(kubectl: Kubectl, ns: string) {
  const q = queries(kubectl, ns);
  const patch = (ops: unknown[]) =>
    kubectl('patch', 'leaderworkerset', 'test-sample', '-n', ns, '--type=json', '-p', JSON.stringify(ops));
  return {
    q,
    patch,
    updateImage: () =>
      patch([
        { op: 'replace', path: '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/image', value: NEW_IMAGE },
      ]),
    notes: async () => (await q.events()).map((e) => e.note ?? ''),
    /** Available, every group ready and on the current revision, only the current ControllerRevision left. */
    settled: (replicas: number, size = 2) =>
      eventually(
        async () => {
          const lws = await q.lws('test-sample');
          const key = revisionKey(lws);
          assert.equal(lws.status?.conditions?.find((c) => c.type === 'Available')?.status, 'True', 'Available');
          assert.equal(lws.status?.observedGeneration, lws.metadata.generation);
          assert.equal(lws.status?.readyReplicas, replicas, 'readyReplicas');
          assert.equal(lws.status?.updatedReplicas, replicas, 'updatedReplicas');
          const pods = (await q.pods()).filter((p) => !p.metadata.deletionTimestamp);
          assert.equal(pods.length, replicas * size, 'pod count');
          for (const p of pods)
            assert.equal(p.metadata.labels?.[keys.REVISION_KEY_LABEL], key, `${p.metadata.name} revision`);
          const sts = (await q.statefulSets()).find((s) => s.metadata.name === 'test-sample');
          assert.equal(sts?.spec?.replicas, replicas, 'leader StatefulSet replicas');
          assert.equal(sts?.metadata.labels?.[keys.REVISION_KEY_LABEL], key);
          const ours = (await q.revisions()).filter((r) => r.metadata.ownerReferences?.[0]?.kind === 'LeaderWorkerSet');
          assert.equal(ours.length, 1, 'one ControllerRevision of the LWS left');
          return { lws, key, pods };
        },
        { timeoutMs: 120_000, message: 'rollout settled' },
      ),
  };
}

/** Events are how partition steps are recorded: keep those of the rollout, in order of creation. */
const partitionNotes = (notes: string[]) => notes.filter((n) => n.startsWith('Updating replica'));

/** "Updating replica 3" → [3, 3]; "Updating replicas 0 to 1 (inclusive)" → [0, 1]. */
function partitionRanges(notes: string[]): Array<[number, number]> {
  return notes.map((n) => {
    const range = /^Updating replicas (\d+) to (\d+) \(inclusive\)$/.exec(n);
    if (range) return [Number(range[1]), Number(range[2])];
    const one = /^Updating replica (\d+)$/.exec(n);
    assert.ok(one, `unexpected note ${n}`);
    return [Number(one[1]), Number(one[1])];
  });
}

describe('rolling updates', () => {
  test('default strategy: partition 3 → 2 → 1 → 0, one group at a time', async () => {
    await withNamespace('roll', async (ns, kubectl) => {
      const s = scenario(kubectl, ns);
      await s.q.create(rolloutLws(ns, (l) => (l.spec.replicas = 4)));
      const before = await s.settled(4);
      await s.updateImage();
      const after = await s.settled(4);
      assert.notEqual(after.key, before.key, 'a template change is a new revision');
      assert.deepEqual(partitionNotes(await s.notes()), [
        'Updating replica 3',
        'Updating replica 2',
        'Updating replica 1',
        'Updating replica 0',
      ]);
      assert.ok((await s.notes()).includes(`Creating revision with key ${after.key} for updated LWS`));
    });
  });

  test('maxUnavailable 2: at most two groups per step', async () => {
    await withNamespace('roll', async (ns, kubectl) => {
      const s = scenario(kubectl, ns);
      await s.q.create(
        rolloutLws(ns, (l) => {
          l.spec.replicas = 4;
          l.spec.rolloutStrategy!.rollingUpdateConfiguration!.maxUnavailable = 2;
        }),
      );
      await s.settled(4);
      await s.updateImage();
      await s.settled(4);
      // The first step takes two groups at once; later steps depend on which group turns ready first
      // (3 before 2 gives "Updating replica 1", both together give "Updating replicas 0 to 1").
      const steps = partitionRanges(partitionNotes(await s.notes()));
      assert.deepEqual(steps[0], [2, 3]);
      assert.equal(steps.at(-1)![0], 0, 'ends at partition 0');
      for (let i = 1; i < steps.length; i++) {
        assert.equal(steps[i]![1], steps[i - 1]![0] - 1, 'steps are contiguous and move down');
        assert.ok(steps[i]![1] - steps[i]![0] + 1 <= 2, `at most 2 groups per step: ${JSON.stringify(steps)}`);
      }
    });
  });

  test('maxUnavailable greater than replicas: every group at once', async () => {
    await withNamespace('roll', async (ns, kubectl) => {
      const s = scenario(kubectl, ns);
      await s.q.create(
        rolloutLws(ns, (l) => {
          l.spec.replicas = 4;
          l.spec.rolloutStrategy!.rollingUpdateConfiguration!.maxUnavailable = 10;
        }),
      );
      await s.settled(4);
      await s.updateImage();
      await s.settled(4);
      assert.deepEqual(partitionNotes(await s.notes()), ['Updating replicas 0 to 3 (inclusive)']);
    });
  });

  const surgeCases: Array<[string, number, number | string, number | string, number]> = [
    // name, replicas, maxUnavailable, maxSurge, largest leader StatefulSet replicas expected
    ['maxSurge 1: 5 groups, then 4', 4, 1, 1, 5],
    ['maxUnavailable 0 with maxSurge 1: 5 groups, then 4', 4, 0, 1, 5],
    ['maxSurge greater than replicas: capped at replicas', 2, 1, 4, 3],
  ];
  for (const [name, replicas, maxUnavailable, maxSurge, peak] of surgeCases) {
    test(name, async () => {
      await withNamespace('roll', async (ns, kubectl) => {
        const s = scenario(kubectl, ns);
        await s.q.create(
          rolloutLws(ns, (l) => {
            l.spec.replicas = replicas;
            l.spec.rolloutStrategy!.rollingUpdateConfiguration = { partition: 0, maxUnavailable, maxSurge };
          }),
        );
        await s.settled(replicas);
        const sampler = new GroupSampler(client, ns, 'test-sample', () => 2).start(100);
        await s.updateImage();
        await s.settled(replicas);
        const samples = sampler.stop();
        const largest = Math.max(...samples.map((x) => x.leaderReplicas ?? 0));
        assert.equal(largest, peak, `largest leader StatefulSet replicas during the rollout`);
        const notes = await s.notes();
        assert.ok(
          notes.some((n) => n.startsWith('deleting surge replica')),
          `a surge deletion event among ${JSON.stringify(notes.filter((n) => n.startsWith('deleting')))}`,
        );
      });
    });
  }

  test('replicas raised and lowered in the middle of a rollout', async () => {
    await withNamespace('roll', async (ns, kubectl) => {
      const s = scenario(kubectl, ns);
      await s.q.create(rolloutLws(ns, (l) => (l.spec.replicas = 3)));
      await s.settled(3);
      const delay = `/spec/leaderWorkerTemplate/workerTemplate/metadata/annotations/${READY_DELAY.replace('/', '~1')}`;
      const image = '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/image';
      /** Waits until the leader StatefulSet's partition is below `replicas`: the rollout is under way. */
      const rolling = (replicas: number) =>
        eventually(async () => {
          const sts = (await s.q.statefulSets()).find((x) => x.metadata.name === 'test-sample');
          assert.ok((sts?.spec?.updateStrategy?.rollingUpdate?.partition ?? replicas) < replicas, 'rollout under way');
        });
      // New groups turn ready slowly (4 s), so the scale happens while old groups are still being replaced.
      await s.patch([
        { op: 'replace', path: image, value: NEW_IMAGE },
        { op: 'replace', path: delay, value: '4s' },
      ]);
      await rolling(3);
      await kubectl('scale', 'leaderworkerset/test-sample', '--replicas=5', '-n', ns);
      await s.settled(5);
      await s.patch([{ op: 'replace', path: image, value: 'nginx:1.29' }]);
      await rolling(5);
      await kubectl('scale', 'leaderworkerset/test-sample', '--replicas=2', '-n', ns);
      await s.settled(2);
    });
  });

  test('spec partition holds lower groups back until it is lowered', async () => {
    await withNamespace('roll', async (ns, kubectl) => {
      const s = scenario(kubectl, ns);
      await s.q.create(
        rolloutLws(ns, (l) => {
          l.spec.replicas = 4;
          l.spec.rolloutStrategy!.rollingUpdateConfiguration!.partition = 2;
        }),
      );
      const before = await s.settled(4);
      await s.updateImage();
      const newKey = await eventually(async () => {
        const lws = await s.q.lws('test-sample');
        const key = revisionKey(lws);
        const pods = await s.q.pods();
        const keyOf = (g: string) =>
          new Set(
            pods
              .filter((p) => p.metadata.labels?.[keys.GROUP_INDEX_LABEL] === g)
              .map((p) => p.metadata.labels?.[keys.REVISION_KEY_LABEL]),
          );
        assert.deepEqual([...keyOf('2')], [key]);
        assert.deepEqual([...keyOf('3')], [key]);
        assert.equal(lws.status?.updatedReplicas, 2);
        return key;
      });
      await consistently(
        async () => {
          const pods = await s.q.pods();
          for (const p of pods.filter((p) => ['0', '1'].includes(p.metadata.labels![keys.GROUP_INDEX_LABEL]!))) {
            assert.equal(p.metadata.labels?.[keys.REVISION_KEY_LABEL], before.key, `${p.metadata.name} held back`);
          }
          const sts = (await s.q.statefulSets()).find((x) => x.metadata.name === 'test-sample');
          assert.equal(sts?.spec?.updateStrategy?.rollingUpdate?.partition, 2);
        },
        { durationMs: 3000, intervalMs: 500 },
      );
      await s.patch([{ op: 'replace', path: '/spec/rolloutStrategy/rollingUpdateConfiguration/partition', value: 0 }]);
      const done = await s.settled(4);
      assert.equal(done.key, newKey);
    });
  });

  test('a size change recreates every group with the new size', async () => {
    await withNamespace('roll', async (ns, kubectl) => {
      const s = scenario(kubectl, ns);
      await s.q.create(rolloutLws(ns));
      await s.settled(2);
      await s.patch([{ op: 'replace', path: '/spec/leaderWorkerTemplate/size', value: 3 }]);
      const { pods } = await s.settled(2, 3);
      for (const p of pods)
        assert.equal(p.metadata.annotations?.[keys.SIZE_ANNOTATION], '3', `${p.metadata.name} size`);
    });
  });

  test('template and replicas changed together', async () => {
    await withNamespace('roll', async (ns, kubectl) => {
      const s = scenario(kubectl, ns);
      await s.q.create(rolloutLws(ns));
      await s.settled(2);
      await s.patch([
        { op: 'replace', path: '/spec/replicas', value: 3 },
        { op: 'replace', path: '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/image', value: NEW_IMAGE },
      ]);
      await s.settled(3);
    });
  });

  test('a rollout completes even though the old groups never became ready', async () => {
    await withNamespace('roll', async (ns, kubectl) => {
      const s = scenario(kubectl, ns);
      await s.q.create(rolloutLws(ns, () => {}, '1h'));
      await eventually(async () => assert.equal((await s.q.pods()).length, 4, 'old pods created (never Ready)'));
      await s.patch([
        {
          op: 'replace',
          path: `/spec/leaderWorkerTemplate/leaderTemplate/metadata/annotations/${READY_DELAY.replace('/', '~1')}`,
          value: '500ms',
        },
        {
          op: 'replace',
          path: `/spec/leaderWorkerTemplate/workerTemplate/metadata/annotations/${READY_DELAY.replace('/', '~1')}`,
          value: '500ms',
        },
      ]);
      await s.settled(2);
    });
  });

  test('a group restarted mid-rollout is recreated once, on its own (old) revision', async () => {
    await withNamespace('roll', async (ns, kubectl) => {
      const s = scenario(kubectl, ns);
      await s.q.create(
        rolloutLws(ns, (l) => {
          l.spec.replicas = 3;
          l.spec.rolloutStrategy!.rollingUpdateConfiguration!.partition = 2;
        }),
      );
      const before = await s.settled(3);
      await s.updateImage();
      await eventually(async () => assert.equal((await s.q.lws('test-sample')).status?.updatedReplicas, 1));
      const leaderUid = (await s.q.pods()).find((p) => p.metadata.name === 'test-sample-0')!.metadata.uid;
      await kubectl('delete', 'pod', 'test-sample-0-1', '-n', ns, '--wait=false');
      await eventually(async () => {
        const pods = await s.q.pods();
        const group0 = pods.filter(
          (p) => p.metadata.labels?.[keys.GROUP_INDEX_LABEL] === '0' && !p.metadata.deletionTimestamp,
        );
        assert.equal(group0.length, 2);
        assert.notEqual(
          group0.find((p) => p.metadata.name === 'test-sample-0')?.metadata.uid,
          leaderUid,
          'leader replaced',
        );
        for (const p of group0)
          assert.equal(
            p.metadata.labels?.[keys.REVISION_KEY_LABEL],
            before.key,
            `${p.metadata.name} on the old revision`,
          );
        const worker = (await s.q.statefulSets()).find((x) => x.metadata.name === 'test-sample-0');
        assert.equal(
          worker?.spec?.template.spec?.containers[0]?.image,
          'nginxinc/nginx-unprivileged:1.27',
          'old worker template',
        );
      });
      const recreations = (await s.q.events()).filter((e) => e.reason === 'RecreateGroup');
      assert.equal(recreations.length, 1);
      await s.patch([{ op: 'replace', path: '/spec/rolloutStrategy/rollingUpdateConfiguration/partition', value: 0 }]);
      await s.settled(3);
    });
  });
});
