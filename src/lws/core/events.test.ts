import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../k8s/client/objects.ts';
import * as events from './events.ts';
import type { CoreEvent } from './events.ts';
import { makeLeaderSts, makeLws } from '../../tooling/testing/lws-core-fixtures.ts';

const revision: KubeObject = { metadata: { name: 'test-sample-5c5fcdfb44-1' } };
const leader: KubeObject = { metadata: { name: 'test-sample-0', namespace: 'ns' } };

// [builder call, type, reason, action, note, related]
const rows: [string, CoreEvent, string, string, string, string, KubeObject | undefined][] = [
  [
    'new revision',
    events.revisionCreatedForNewSet('5c5f', revision),
    'Normal',
    'CreatingRevision',
    'Create',
    'Creating revision with key 5c5f for a newly created LeaderWorkerSet',
    revision,
  ],
  [
    'missing revision',
    events.revisionCreatedForExistingSet('5c5f', revision),
    'Normal',
    'CreatingRevision',
    'Create',
    'Creating missing revision with key 5c5f for existing LeaderWorkerSet',
    revision,
  ],
  [
    'updated revision',
    events.revisionCreatedForUpdate('5c5f', revision),
    'Normal',
    'CreatingRevision',
    'Create',
    'Creating revision with key 5c5f for updated LWS',
    revision,
  ],
  [
    'leader sts create failed',
    events.leaderStatefulSetCreateFailed('lws', new Error('boom')),
    'Warning',
    'FailedCreate',
    'Create',
    'Failed to create leader statefulset lws: boom',
    undefined,
  ],
  [
    'leader sts update failed',
    events.leaderStatefulSetUpdateFailed('lws', new Error('boom')),
    'Warning',
    'FailedUpdate',
    'Update',
    'Failed to update leader statefulset lws: boom',
    undefined,
  ],
  [
    'leader sts created',
    events.leaderStatefulSetCreated('test-sample', revision),
    'Normal',
    'GroupsProgressing',
    'Create',
    'Created leader statefulset test-sample',
    revision,
  ],
  [
    'one replica updating',
    events.partitionMoved(4, 3, revision),
    'Normal',
    'GroupsUpdating',
    'Update',
    'Updating replica 3',
    revision,
  ],
  [
    'several replicas updating',
    events.partitionMoved(4, 2),
    'Normal',
    'GroupsUpdating',
    'Update',
    'Updating replicas 2 to 3 (inclusive)',
    undefined,
  ],
  [
    'service create failed',
    events.headlessServiceCreateFailed(new Error('nope')),
    'Warning',
    'FailedCreate',
    'Create',
    'Failed to create headless service for error: nope',
    undefined,
  ],
  [
    'one surge replica',
    events.surgeReplicaDeleted('lws', 4),
    'Normal',
    'GroupsProgressing',
    'Delete',
    'deleting surge replica lws-4',
    undefined,
  ],
  [
    'surge replicas',
    events.surgeReplicasDeleted('lws', 4, 5),
    'Normal',
    'GroupsProgressing',
    'Delete',
    'deleting surge replicas from lws-4 to lws-5',
    undefined,
  ],
  [
    'condition',
    events.conditionChanged('GroupsProgressing', 'Replicas are progressing', 0, 2),
    'Normal',
    'GroupsProgressing',
    'Update',
    'Replicas are progressing, with 0 groups ready of total 2 groups',
    undefined,
  ],
  [
    'worker sts created',
    events.workerStatefulSetCreated(leader),
    'Normal',
    'GroupsProgressing',
    'Create',
    'Created worker statefulset for leader pod test-sample-0',
    leader,
  ],
  [
    'worker sts create failed',
    events.workerStatefulSetCreateFailed(leader, new Error('x')),
    'Warning',
    'FailedCreate',
    'Create',
    'Failed to create worker statefulset for leader pod test-sample-0: x',
    leader,
  ],
  [
    'leader-name on a leader',
    events.leaderNameAnnotationMistake(leader),
    'Warning',
    'FailedCreate',
    'Create',
    "leader pod ns/test-sample-0 contains mistake annotation 'leaderworkerset.sigs.k8s.io/leader-name': requires Kubernetes ≥v1.27 or v1.26 with StatefulSetStartOrdinal feature",
    leader,
  ],
  [
    'group recreated',
    events.groupRecreated('test-sample-0-1', leader, '0'),
    'Normal',
    'RecreateGroup',
    'Delete',
    'Worker pod test-sample-0-1 failed, deleted leader pod test-sample-0 to recreate group 0',
    leader,
  ],
];
for (const [name, event, type, reason, action, note, related] of rows) {
  test(`event: ${name}`, () => {
    assert.deepStrictEqual(event, related ? { type, reason, action, note, related } : { type, reason, action, note });
  });
}

// [name, previous STS, new partition, lwsUpdated, notes]
const lws = makeLws({ replicas: 4 });
const sts = makeLeaderSts(lws, { replicas: 4, partition: 4, revision: 'r' });
const applied: [string, Parameters<typeof events.leaderStatefulSetEvents>[1], number, boolean, string[]][] = [
  ['first apply', undefined, 0, false, ['Created leader statefulset test-sample']],
  ['partition moves by one', sts, 3, false, ['Updating replica 3']],
  ['partition moves by two', sts, 2, false, ['Updating replicas 2 to 3 (inclusive)']],
  ['partition unchanged', sts, 4, false, []],
  ['pass that detected the update says nothing', sts, 3, true, []],
];
for (const [name, previous, partition, lwsUpdated, notes] of applied) {
  test(`leaderStatefulSetEvents: ${name}`, () => {
    const got = events.leaderStatefulSetEvents(lws, previous, partition, lwsUpdated, revision);
    assert.deepStrictEqual(
      got.map((e) => e.note),
      notes,
    );
    for (const e of got) assert.equal(e.related, revision);
  });
}
