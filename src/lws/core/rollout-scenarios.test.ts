/**
 * Upstream's integration scenarios (test/integration/controllers/leaderworkerset_test.go, "leaderWorkerSet
 * creating or updating") as step lists: each step is what the upstream test does to the cluster, and the
 * state upstream's `Eventually` checks expect afterwards (leader StatefulSet partition and replicas, status
 * ready/updated counts, condition statuses, events recorded so far).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScenarioWorld } from '../../tooling/testing/lws-scenario-world.ts';
import type { LwsOptions } from '../../tooling/testing/lws-core-fixtures.ts';

type Status = 'True' | 'False';
interface Expect {
  partition?: number;
  replicas?: number;
  ready?: number;
  updated?: number;
  available?: Status;
  progressing?: Status;
  updateInProgress?: Status;
  /** Notes that must have been recorded by now (upstream ValidateEvent). */
  events?: string[];
  check?: (w: ScenarioWorld) => void;
}
type Step = [string, (w: ScenarioWorld) => void, Expect];

const AVAILABLE: Expect = { available: 'True' };
const ROLLING: Expect = { available: 'False', progressing: 'True', updateInProgress: 'True' };
const DONE: Expect = { available: 'True', progressing: 'False', updateInProgress: 'False' };
const noop = () => {};
const template = (name: string) => (w: ScenarioWorld) => w.updateWorkerTemplate(name);

function verify(w: ScenarioWorld, want: Expect): void {
  const got: Expect = {};
  if (want.partition !== undefined) got.partition = w.partition;
  if (want.replicas !== undefined) got.replicas = w.stsReplicas;
  if (want.ready !== undefined) got.ready = w.lws.status?.readyReplicas ?? 0;
  if (want.updated !== undefined) got.updated = w.lws.status?.updatedReplicas ?? 0;
  if (want.available !== undefined) got.available = w.condition('Available') as Status;
  if (want.progressing !== undefined) got.progressing = w.condition('Progressing') as Status;
  if (want.updateInProgress !== undefined) got.updateInProgress = w.condition('UpdateInProgress') as Status;
  if (want.events !== undefined) got.events = want.events.filter((note) => w.notes().includes(note));
  const { check, ...expected } = want;
  assert.deepStrictEqual(got, expected);
  // Upstream's condition checks also require observedGeneration == generation.
  for (const c of w.lws.status?.conditions ?? []) assert.equal(c.observedGeneration, w.lws.metadata.generation);
  check?.(w);
}

const scenarios: [string, LwsOptions, Step[]][] = [
  [
    'scale up number of groups',
    { replicas: 2 },
    [
      [
        'replicas 3 and leader pod 2',
        (w) => (w.setReplicas(3), w.createLeaderPods(2, 3)),
        { replicas: 3, partition: 0 },
      ],
    ],
  ],
  [
    'scale down number of groups',
    { replicas: 4 },
    [
      [
        'replicas 3, surplus leaders deleted',
        (w) => (w.setReplicas(3), w.deleteSurplusLeaderPods()),
        { replicas: 3, partition: 0 },
      ],
    ],
  ],
  [
    'scale down to 0',
    { replicas: 2 },
    [
      [
        'replicas 0',
        (w) => (w.setReplicas(0), w.deleteSurplusLeaderPods()),
        { replicas: 0, partition: 0, available: 'True' },
      ],
    ],
  ],
  [
    'scale up from 0',
    { replicas: 0 },
    [
      [
        'replicas 3 and leader pods',
        (w) => (w.setReplicas(3), w.createLeaderPods(0, 3)),
        { replicas: 3, partition: 0 },
      ],
    ],
  ],
  [
    'group size is 1',
    { size: 1 },
    [
      ['created', noop, { replicas: 2, check: (w) => assert.equal(w.workers.size, 0) }],
      ['leaders ready', (w) => w.setLeadersReady(0, 2), { ...AVAILABLE, ready: 2, updated: 2 }],
    ],
  ],
  ['zero replicas', { replicas: 0 }, [['created', noop, { replicas: 0 }]]],
  [
    'Successfully create a leaderworkerset with 2 groups, size as 4',
    {},
    [
      [
        'created',
        noop,
        {
          replicas: 2,
          events: [
            'Created leader statefulset test-sample',
            'Created worker statefulset for leader pod test-sample-0',
            'Created worker statefulset for leader pod test-sample-1',
          ],
        },
      ],
    ],
  ],
  [
    'Deleted worker statefulSet will be recreated',
    {},
    [
      ['created', noop, { replicas: 2 }],
      [
        'worker StatefulSet 0 deleted',
        (w) => (w.workers.delete('test-sample-0'), w.reconcile()),
        { replicas: 2, check: (w) => assert.ok(w.worker(0)) },
      ],
    ],
  ],
  [
    'Test available state',
    {},
    [['all groups ready', (w) => w.setAllGroupsReady(), { ...AVAILABLE, ready: 2, updated: 2 }]],
  ],
  [
    'Testing condition switch from progressing to available to progressing',
    {},
    [
      [
        'created',
        noop,
        { progressing: 'True', events: ['Replicas are progressing, with 0 groups ready of total 2 groups'] },
      ],
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        {
          progressing: 'False',
          available: 'True',
          events: ['All replicas are ready, with 2 groups ready of total 2 groups'],
        },
      ],
      [
        'replicas 3',
        (w) => w.setReplicas(3),
        {
          progressing: 'True',
          available: 'False',
          events: ['Replicas are progressing, with 2 groups ready of total 3 groups'],
        },
      ],
    ],
  ],
  [
    'Replicas are processing will set condition to progressing with correct message with correct event',
    {},
    [
      [
        'created',
        noop,
        {
          replicas: 2,
          progressing: 'True',
          events: ['Replicas are progressing, with 0 groups ready of total 2 groups'],
        },
      ],
    ],
  ],
  [
    'Ensure UpdateInProgress condition is not set during LWS initialization',
    { replicas: 4, maxSurge: 2 },
    [
      [
        'created',
        noop,
        { progressing: 'True', replicas: 4, check: (w) => assert.notEqual(w.condition('UpdateInProgress'), 'True') },
      ],
    ],
  ],
  [
    'Test default progressing state',
    {},
    [['conditions cleared', (w) => ((w.lws.status!.conditions = []), w.reconcile()), { progressing: 'True' }]],
  ],
  [
    'Leaderworkerset has available state with correct event',
    {},
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, events: ['All replicas are ready, with 2 groups ready of total 2 groups'] },
      ],
    ],
  ],
  [
    'leaderTemplate changed with default strategy',
    { replicas: 4 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'leader template changed',
        (w) => w.updateLeaderTemplate(),
        { ...ROLLING, partition: 3, replicas: 4, ready: 4, updated: 0, events: ['Updating replica 3'] },
      ],
      [
        'group 3 rolled',
        (w) => w.setGroupReady(3),
        { ...ROLLING, partition: 2, ready: 4, updated: 1, events: ['Updating replica 2'] },
      ],
      [
        'group 1 (below the partition) ready anyway',
        (w) => w.setGroupReady(1),
        { ...ROLLING, partition: 2, replicas: 4, ready: 4, updated: 2 },
      ],
      [
        'group 3 unready: partition does not move back',
        (w) => w.setWorkersUnready(3),
        { ...ROLLING, partition: 2, replicas: 4, ready: 3, updated: 2 },
      ],
      ['all groups ready', (w) => w.setAllGroupsReady(), { ...DONE, partition: 0, replicas: 4, ready: 4, updated: 4 }],
    ],
  ],
  [
    'workerTemplate changed with maxUnavailable=2',
    { replicas: 4, maxUnavailable: 2 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'worker template changed',
        (w) => w.updateWorkerTemplate(),
        { ...ROLLING, partition: 2, replicas: 4, ready: 4, updated: 0 },
      ],
      ['group 3 rolled', (w) => w.setGroupReady(3), { ...ROLLING, partition: 1, replicas: 4, ready: 4, updated: 1 }],
      ['group 2 rolled', (w) => w.setGroupReady(2), { ...ROLLING, partition: 0, replicas: 4, ready: 4, updated: 2 }],
      [
        'groups 1 and 0 rolled',
        (w) => (w.setGroupReady(1), w.setGroupReady(0)),
        { ...DONE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
    ],
  ],
  [
    'workerTemplate changed with maxUnavailable greater than replicas',
    { replicas: 4, maxUnavailable: 10 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'worker template changed',
        (w) => w.updateWorkerTemplate(),
        { ...ROLLING, partition: 0, replicas: 4, ready: 4, updated: 0 },
      ],
      ['all groups ready', (w) => w.setAllGroupsReady(), { ...DONE, partition: 0, replicas: 4, ready: 4, updated: 4 }],
    ],
  ],
  [
    'rolling update with both worker template and number of replicas changed',
    { replicas: 4 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'replicas 6 and new worker template; leader pods 4-5 from the old copy',
        (w) => {
          const oldKey = w.key;
          w.updateSpec((lws) => {
            lws.spec.replicas = 6;
            lws.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.name = 'new-worker';
          });
          w.createLeaderPods(4, 6, oldKey);
        },
        { ...ROLLING, partition: 4, replicas: 6, ready: 4, updated: 0 },
      ],
      ['all groups ready', (w) => w.setAllGroupsReady(), { ...DONE, partition: 0, replicas: 6, ready: 6, updated: 6 }],
    ],
  ],
  [
    'replicas increases during rolling update',
    { replicas: 4 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'worker template changed',
        (w) => w.updateWorkerTemplate(),
        { ...ROLLING, partition: 3, replicas: 4, ready: 4, updated: 0 },
      ],
      ['group 3 rolled', (w) => w.setGroupReady(3), { ...ROLLING, partition: 2, replicas: 4, ready: 4, updated: 1 }],
      [
        'replicas 6, new groups 4-5 created ready',
        (w) => (w.setReplicas(6), w.createLeaderPods(4, 6), w.setGroupReady(4), w.setGroupReady(5)),
        { ...ROLLING, partition: 2, replicas: 6, ready: 6, updated: 3 },
      ],
      ['all groups ready', (w) => w.setAllGroupsReady(), { ...DONE, partition: 0, replicas: 6, ready: 6, updated: 6 }],
    ],
  ],
  [
    'replicas decreases during rolling update',
    { replicas: 6 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 6, ready: 6, updated: 6 },
      ],
      ['worker image changed', template('image-1.26'), { ...ROLLING, partition: 5, replicas: 6, ready: 6, updated: 0 }],
      [
        'replicas 3, surplus leaders deleted',
        (w) => (w.setReplicas(3), w.deleteSurplusLeaderPods()),
        { ...ROLLING, partition: 2, replicas: 3, ready: 3, updated: 0 },
      ],
      ['all groups ready', (w) => w.setAllGroupsReady(), { ...DONE, partition: 0, replicas: 3, ready: 3, updated: 3 }],
    ],
  ],
  [
    'rolling update with maxUnavailable zero and maxSurge set',
    { replicas: 4, maxUnavailable: 0, maxSurge: 1 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'worker template changed, surge leader 4 (old copy)',
        surgeUpdate(4, 5),
        { ...ROLLING, partition: 4, replicas: 5, ready: 4, updated: 0 },
      ],
      ['group 4 ready', (w) => w.setGroupReady(4), { ...ROLLING, partition: 3, replicas: 5, ready: 5, updated: 1 }],
      ['group 3 ready', (w) => w.setGroupReady(3), { ...ROLLING, partition: 2, replicas: 5, ready: 5, updated: 2 }],
      ['group 2 ready', (w) => w.setGroupReady(2), { ...ROLLING, partition: 1, replicas: 5, ready: 5, updated: 3 }],
      ['group 1 ready', (w) => w.setGroupReady(1), { ...ROLLING, partition: 0, replicas: 5, ready: 5, updated: 4 }],
      [
        'group 0 ready, surge leader deleted',
        (w) => (w.setGroupReady(0), w.deleteLeaderPods(4, 5)),
        { ...DONE, partition: 0, replicas: 4, ready: 4, updated: 4, events: ['deleting surge replica test-sample-4'] },
      ],
    ],
  ],
  [
    'rolling update with maxSurge set',
    { replicas: 4, maxSurge: 1 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'worker template changed, surge leader 4 (old copy)',
        surgeUpdate(4, 5),
        { ...ROLLING, partition: 3, replicas: 5, ready: 4, updated: 0 },
      ],
      ['group 4 ready', (w) => w.setGroupReady(4), { ...ROLLING, partition: 2, replicas: 5, ready: 5, updated: 1 }],
      ['group 3 ready', (w) => w.setGroupReady(3), { ...ROLLING, partition: 1, replicas: 5, ready: 5, updated: 2 }],
      ['group 2 ready', (w) => w.setGroupReady(2), { ...ROLLING, partition: 0, replicas: 5, ready: 5, updated: 3 }],
      [
        'group 1 ready: surge reclaimed while group 0 rolls',
        (w) => (w.setGroupReady(1), w.deleteLeaderPods(4, 5)),
        {
          ...ROLLING,
          partition: 0,
          replicas: 4,
          ready: 4,
          updated: 3,
          events: ['deleting surge replica test-sample-4'],
        },
      ],
      ['group 0 ready', (w) => w.setGroupReady(0), { ...DONE, partition: 0, replicas: 4, ready: 4, updated: 4 }],
    ],
  ],
  [
    'rolling update with maxUnavailable and maxSurge set',
    { replicas: 4, maxSurge: 2, maxUnavailable: 2 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'worker template changed, surge leaders 4-5 (old copy)',
        surgeUpdate(4, 6),
        { ...ROLLING, partition: 2, replicas: 6, ready: 4, updated: 0 },
      ],
      [
        'groups 3 and 2 ready, surge leaders deleted',
        (w) => (w.setGroupReady(3), w.setGroupReady(2), w.deleteLeaderPods(4, 6)),
        {
          partition: 0,
          replicas: 4,
          ready: 4,
          updated: 2,
          events: ['deleting surge replicas from test-sample-4 to test-sample-5'],
        },
      ],
      [
        'groups 1 and 0 ready',
        (w) => (w.setGroupReady(1), w.setGroupReady(0)),
        { ...DONE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
    ],
  ],
  [
    'rolling update with replicas scaled up and maxSurge set',
    { maxSurge: 2 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 2, ready: 2, updated: 2 },
      ],
      [
        'replicas 4 and new worker template; leaders 2-5 from the old copy',
        (w) => {
          const oldKey = w.key;
          w.updateSpec((lws) => {
            lws.spec.replicas = 4;
            lws.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.name = 'new-worker';
          });
          w.createLeaderPods(2, 6, oldKey);
        },
        { partition: 2, replicas: 6 },
      ],
      ['all groups ready', (w) => w.setAllGroupsReady(), AVAILABLE],
      [
        'surplus leaders deleted',
        (w) => w.deleteSurplusLeaderPods(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
    ],
  ],
  [
    'rolling update with replicas scaled down and maxSurge set',
    { replicas: 6, maxSurge: 2 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 6, ready: 6, updated: 6 },
      ],
      [
        'replicas 3 and new worker template',
        (w) =>
          w.updateSpec((lws) => {
            lws.spec.replicas = 3;
            lws.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.name = 'new-worker';
          }),
        { partition: 2, replicas: 5, events: ['deleting surge replica test-sample-5'] },
      ],
      ['leader 5 deleted, all groups ready', (w) => (w.deleteLeaderPods(5, 6), w.setAllGroupsReady()), AVAILABLE],
      [
        'surplus leaders deleted',
        (w) => w.deleteSurplusLeaderPods(),
        { ...AVAILABLE, partition: 0, replicas: 3, ready: 3, updated: 3 },
      ],
    ],
  ],
  [
    'rolling update with maxSurge greater than replicas',
    { maxSurge: 4 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 2, ready: 2, updated: 2 },
      ],
      ['worker template changed, surge leader 2 (old copy)', surgeUpdate(2, 3), { partition: 1, replicas: 3 }],
      ['all groups ready', (w) => w.setAllGroupsReady(), AVAILABLE],
      [
        'surplus leaders deleted',
        (w) => w.deleteSurplusLeaderPods(),
        { ...AVAILABLE, partition: 0, replicas: 2, ready: 2, updated: 2 },
      ],
    ],
  ],
  [
    'scale up and down during rolling update with maxSurge set',
    { replicas: 4, maxSurge: 2 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'worker template changed, surge leaders 4-5 (old copy)',
        surgeUpdate(4, 6),
        { partition: 3, replicas: 6, ready: 4, updated: 0 },
      ],
      [
        'replicas 6, leaders 6-7 (new copy)',
        (w) => (w.setReplicas(6), w.createLeaderPods(6, 8)),
        { partition: 3, replicas: 8, ready: 4, updated: 2 },
      ],
      [
        'groups 7 and 6 ready',
        (w) => (w.setGroupReady(7), w.setGroupReady(6)),
        { partition: 3, replicas: 8, ready: 6, updated: 2 },
      ],
      [
        'replicas 2, leaders 3-7 deleted',
        (w) => (w.setReplicas(2), w.deleteLeaderPods(4, 8), w.deleteLeaderPods(3, 4)),
        { partition: 1, replicas: 3, ready: 3, updated: 0 },
      ],
      ['group 2 ready', (w) => w.setGroupReady(2), { partition: 0, replicas: 3, ready: 3, updated: 1 }],
      [
        'group 1 ready, leader 2 deleted',
        (w) => (w.setGroupReady(1), w.deleteLeaderPods(2, 3)),
        { partition: 0, replicas: 2, ready: 2, updated: 1 },
      ],
      ['group 0 ready', (w) => w.setGroupReady(0), { ...AVAILABLE, partition: 0, replicas: 2, ready: 2, updated: 2 }],
    ],
  ],
  [
    'multiple rolling update with maxSurge set',
    { replicas: 4, maxSurge: 2 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'worker template changed, surge leaders 4-5 (old copy)',
        surgeUpdate(4, 6),
        { partition: 3, replicas: 6, ready: 4, updated: 0 },
      ],
      [
        'groups 5 and 4 ready',
        (w) => (w.setGroupReady(5), w.setGroupReady(4)),
        { partition: 1, replicas: 6, ready: 6, updated: 2 },
      ],
      ['worker template changed again', template('new-worker-2'), { partition: 3, replicas: 6, ready: 6, updated: 0 }],
      ['all groups ready', (w) => w.setAllGroupsReady(), AVAILABLE],
      [
        'surplus leaders deleted',
        (w) => w.deleteSurplusLeaderPods(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
    ],
  ],
  [
    'Not updated worker gets recreated with old worker spec if restarted during update',
    { replicas: 4 },
    [
      ['all groups ready', (w) => w.setAllGroupsReady(), { ...AVAILABLE, replicas: 4, ready: 4, updated: 4 }],
      ['worker template changed', (w) => w.updateWorkerTemplate(), { replicas: 4, ready: 4, updated: 0 }],
      [
        'group 3 rolled',
        (w) => w.setGroupReady(3),
        {
          replicas: 4,
          ready: 4,
          updated: 1,
          check: (w) => expectWorkerRevisions(w, ['rev-1', 'rev-1', 'rev-1', 'rev-2']),
        },
      ],
      [
        'leader 0 recreated from revision 1',
        (w) => (w.deleteLeaderPods(0, 1), w.createLeaderPods(0, 1, w.keyOfRevision(1))),
        {
          replicas: 4,
          check: (w) => {
            expectWorkerRevisions(w, ['rev-1', 'rev-1', 'rev-1', 'rev-2']);
            assert.equal(w.worker(0)?.spec?.template.spec?.containers[0]?.name, 'worker');
            assert.equal(w.worker(3)?.spec?.template.spec?.containers[0]?.name, 'new-worker-name');
          },
        },
      ],
      ['all groups ready', (w) => w.setAllGroupsReady(), { ...AVAILABLE, replicas: 4 }],
    ],
  ],
  [
    'Not updated worker gets recreated with old size if restarted during update that changes size',
    { replicas: 4, size: 4 },
    [
      ['all groups ready', (w) => w.setAllGroupsReady(), { ...AVAILABLE, replicas: 4, ready: 4, updated: 4 }],
      [
        'worker template and size changed',
        (w) =>
          w.updateSpec((lws) => {
            lws.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.name = 'new-worker-name';
            lws.spec.leaderWorkerTemplate.size = 2;
          }),
        { replicas: 4 },
      ],
      [
        'group 3 rolled',
        (w) => w.setGroupReady(3),
        { check: (w) => expectWorkerRevisions(w, ['rev-1', 'rev-1', 'rev-1', 'rev-2']) },
      ],
      [
        'leader 0 recreated from revision 1',
        (w) => (w.deleteLeaderPods(0, 1), w.createLeaderPods(0, 1, w.keyOfRevision(1))),
        {
          check: (w) => {
            const sts = w.worker(0)!;
            assert.equal(sts.metadata.labels?.['leaderworkerset.sigs.k8s.io/template-revision-hash'], 'rev-1');
            assert.equal(sts.spec?.replicas, 3);
            assert.equal(sts.spec?.template.metadata?.annotations?.['leaderworkerset.sigs.k8s.io/size'], '4');
            assert.equal(w.worker(3)?.spec?.replicas, 1);
          },
        },
      ],
    ],
  ],
  [
    'rolling update with unhealthy pods below partition',
    { replicas: 4, maxUnavailable: 2 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 4, ready: 4, updated: 4 },
      ],
      [
        'group 1 unready',
        (w) => w.setWorkersUnready(1),
        { available: 'False', progressing: 'True', ready: 3, updated: 4 },
      ],
      [
        'worker template changed',
        (w) => w.updateWorkerTemplate(),
        { ...ROLLING, partition: 3, replicas: 4, ready: 3, updated: 0 },
      ],
      ['all groups ready', (w) => w.setAllGroupsReady(), { ...DONE, partition: 0, replicas: 4, ready: 4, updated: 4 }],
    ],
  ],
  [
    'rolling update with no ready replicas',
    { replicas: 2, maxUnavailable: 1 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 2, ready: 2, updated: 2 },
      ],
      ['group 0 unready', (w) => w.setWorkersUnready(0), { available: 'False', partition: 0 }],
      ['group 1 unready', (w) => w.setWorkersUnready(1), { available: 'False', partition: 0 }],
      [
        'worker template changed',
        (w) => w.updateWorkerTemplate(),
        { ...ROLLING, partition: 1, replicas: 2, ready: 0, updated: 0 },
      ],
      ['group 1 ready', (w) => w.setGroupReady(1), { partition: 0 }],
      ['group 0 ready', (w) => w.setGroupReady(0), AVAILABLE],
    ],
  ],
  [
    'resize should update the size of the replicas',
    { replicas: 2, size: 3 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 0, replicas: 2, ready: 2, updated: 2 },
      ],
      [
        'size 4, all groups ready',
        (w) => (w.updateSpec((lws) => (lws.spec.leaderWorkerTemplate.size = 4)), w.setAllGroupsReady()),
        {
          ...AVAILABLE,
          partition: 0,
          replicas: 2,
          ready: 2,
          updated: 2,
          events: ['Rolling Upgrade is in progress, with 2 groups ready of total 2 groups'],
          check: (w) => assert.equal(w.worker(0)?.spec?.replicas, 3),
        },
      ],
    ],
  ],
  [
    'rolling update with the partition setting',
    { replicas: 6, partition: 4 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 4, replicas: 6, ready: 6, updated: 6 },
      ],
      [
        'worker template changed',
        (w) => w.updateWorkerTemplate(),
        { progressing: 'True', updateInProgress: 'True', partition: 5, replicas: 6, ready: 6, updated: 0 },
      ],
      [
        'group 5 ready',
        (w) => w.setGroupReady(5),
        { progressing: 'True', updateInProgress: 'True', partition: 4, replicas: 6, ready: 6, updated: 1 },
      ],
      ['group 4 ready', (w) => w.setGroupReady(4), { ...AVAILABLE, partition: 4, replicas: 6, ready: 6, updated: 2 }],
      [
        'spec partition 2',
        (w) => w.setPartition(2),
        { progressing: 'True', updateInProgress: 'True', partition: 3, replicas: 6, ready: 6, updated: 2 },
      ],
      [
        'group 3 ready',
        (w) => w.setGroupReady(3),
        { progressing: 'True', updateInProgress: 'True', partition: 2, replicas: 6, ready: 6, updated: 3 },
      ],
      ['group 2 ready', (w) => w.setGroupReady(2), { ...AVAILABLE, partition: 2, replicas: 6, ready: 6, updated: 4 }],
    ],
  ],
  [
    'rolling update with the partition and maxSurge setting',
    { replicas: 3, maxSurge: 1, partition: 2 },
    [
      [
        'all groups ready',
        (w) => w.setAllGroupsReady(),
        { ...AVAILABLE, partition: 2, replicas: 3, ready: 3, updated: 3 },
      ],
      [
        'worker template changed',
        (w) => w.updateWorkerTemplate(),
        { progressing: 'True', updateInProgress: 'True', partition: 2, replicas: 4, ready: 3, updated: 0 },
      ],
      ['surge leader 3 (new copy)', (w) => w.createLeaderPods(3, w.stsReplicas!), {}],
      [
        'groups 3 and 2 ready',
        (w) => (w.setGroupReady(3), w.setGroupReady(2)),
        { ...AVAILABLE, partition: 2, replicas: 4, ready: 4, updated: 2 },
      ],
      [
        'spec partition 0',
        (w) => w.setPartition(0),
        { progressing: 'True', updateInProgress: 'True', partition: 0, replicas: 4, ready: 4, updated: 2 },
      ],
      [
        'groups 1 and 0 ready',
        (w) => (w.setGroupReady(1), w.setGroupReady(0)),
        { ...AVAILABLE, partition: 0, replicas: 3, ready: 4, updated: 4 },
      ],
      [
        'surge leader deleted',
        (w) => w.deleteLeaderPods(3, 4),
        { ...AVAILABLE, partition: 0, replicas: 3, ready: 3, updated: 3 },
      ],
    ],
  ],
];

/** Template change, then leader pods `from..to-1` created by the test from its pre-update copy of the LWS. */
function surgeUpdate(from: number, to: number) {
  return (w: ScenarioWorld) => {
    const oldKey = w.key;
    w.updateWorkerTemplate('new-worker');
    w.createLeaderPods(from, to, oldKey);
  };
}

function expectWorkerRevisions(w: ScenarioWorld, keys: string[]): void {
  assert.deepStrictEqual(
    keys.map((_, i) => w.worker(i)?.metadata.labels?.['leaderworkerset.sigs.k8s.io/template-revision-hash']),
    keys,
  );
}

for (const [name, options, steps] of scenarios) {
  test(`scenario: ${name}`, async (t) => {
    const world = new ScenarioWorld(options);
    for (const [index, [stepName, act, want]] of steps.entries()) {
      await t.test(`step ${index + 1}: ${stepName}`, () => {
        act(world);
        verify(world, want);
      });
    }
  });
}
