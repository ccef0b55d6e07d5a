import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LeaderWorkerSet } from '../api/types.ts';
import { SUBGROUP_EXCLUSIVE_KEY_ANNOTATION } from '../api/keys.ts';
import { GoPanic } from '../../k8s/admission/errors.ts';
import { formatFieldErrors } from '../../k8s/validation/field-errors.ts';
import { validateLeaderWorkerSet } from './lws-validation.ts';
import {
  admit,
  buildLeaderWorkerSet,
  edit,
  makeLeaderPodSpec,
  makeWorkerPodSpec,
} from '../../tooling/testing/lws-webhook-fixtures.ts';

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const PERCENT =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
const SGS = 'spec.leaderWorkerTemplate.SubGroupPolicy.subGroupSize';
const RUC = 'spec.rolloutStrategy.rollingUpdateConfiguration';

type Change = (lws: LeaderWorkerSet) => void;
const lws = (change: Change = () => {}) => edit(buildLeaderWorkerSet(), change);
const sizes = (replicas: number | undefined, size: number | undefined): Change => {
  return (l) => {
    if (replicas !== undefined) l.spec.replicas = replicas;
    if (size !== undefined) l.spec.leaderWorkerTemplate.size = size;
  };
};
const subGroup = (subGroupSize: number, type?: 'LeaderWorker' | 'LeaderExcluded'): Change => {
  return (l) => {
    l.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupSize, ...(type ? { subGroupPolicyType: type } : {}) };
  };
};
const rolling = (config: object): Change => {
  return (l) => Object.assign(l.spec.rolloutStrategy!.rollingUpdateConfiguration!, config);
};
const both =
  (...changes: Change[]): Change =>
  (l) =>
    changes.forEach((c) => c(l));

export interface ValidationCase {
  name: string;
  create: LeaderWorkerSet;
  /** Expected denial of the create; undefined when allowed. */
  createDenied?: string;
  /** Applied to the stored object for an update. */
  update?: Change;
  updateDenied?: string;
  /** Rejected by the CRD schema (enum/range) before the validating webhook; the webhook itself allows it. */
  schemaRejects?: true;
}

// Upstream test/integration/webhooks/leaderworkerset_test.go "test creation and update", in order, with the
// exact denial text; then cases for paths those tests do not reach.
export const validationCases: ValidationCase[] = [
  {
    name: 'creation with invalid name should fail',
    create: lws((l) => (l.metadata.name = '2cube')),
    createDenied: `metadata.name: Invalid value: "2cube": ${DNS1035}`,
  },
  {
    name: 'creation with invalid replicas and size should fail',
    create: lws(sizes(100000, 1000000)),
    createDenied:
      'spec.replicas: Invalid value: 100000: the product of replicas and worker replicas must not exceed 2147483647',
  },
  {
    name: 'creation with invalid size should fail',
    create: lws(sizes(2, -1)),
    createDenied: 'spec.leaderWorkerTemplate.size: Invalid value: -1: size must be equal or greater than 1',
  },
  {
    name: 'creation with invalid replicas should fail',
    create: lws(sizes(-1, 2)),
    createDenied: 'spec.replicas: Invalid value: -1: replicas must be equal or greater than 0',
  },
  {
    name: 'creation with replicas greater than 1000000 should fail',
    create: lws(sizes(1000001, 2)),
    createDenied: 'spec.replicas: Invalid value: 1000001: replicas must be equal or less than 1000000',
  },
  {
    name: 'creation with invalid startpolicy should fail',
    create: lws((l) => (l.spec.startupPolicy = 'invalidValue' as never)),
    schemaRejects: true,
  },
  {
    name: 'creation with invalid subGroupSize should fail',
    create: lws(both(sizes(undefined, 2), subGroup(-1))),
    createDenied: `${SGS}: Invalid value: -1: subGroupSize must be equal or greater than 1`,
  },
  {
    name: 'creation with subGroupSize larger than size should fail',
    create: lws(both(sizes(undefined, 2), subGroup(3))),
    createDenied: `[${SGS}: Invalid value: 3: size or size - 1 must be divisible by subGroupSize, ${SGS}: Invalid value: 3: subGroupSize cannot be larger than size]`,
  },
  {
    name: 'creation where (size-1) is not divisible by subGroupSize and LeaderExcluded should fail',
    create: lws(both(sizes(undefined, 4), subGroup(2, 'LeaderExcluded'))),
    createDenied: `${SGS}: Invalid value: 2: size-1 must be divisible by subGroupSize when using LeaderExcluded`,
  },
  {
    name: 'update to size should succeed',
    create: lws(sizes(undefined, 2)),
    update: sizes(undefined, 3),
  },
  {
    name: 'update with invalid replicas should fail (larger than maxInt32)',
    create: lws(sizes(100000, 1)),
    update: sizes(undefined, 100000000),
    updateDenied:
      'spec.replicas: Invalid value: 100000: the product of replicas and worker replicas must not exceed 2147483647',
  },
  {
    name: 'update with invalid replicas should fail (number is negative)',
    create: lws(sizes(1, 1)),
    update: sizes(-1, undefined),
    updateDenied: 'spec.replicas: Invalid value: -1: replicas must be equal or greater than 0',
  },
  {
    name: 'update with invalid startpolicy should fail',
    create: lws((l) => (l.spec.startupPolicy = 'LeaderReady')),
    update: (l) => (l.spec.startupPolicy = 'invalidValue' as never),
    schemaRejects: true,
  },
  {
    name: 'number of subGroupSize can not be updated',
    create: lws(both(sizes(1, 2), subGroup(1))),
    update: (l) => (l.spec.leaderWorkerTemplate.subGroupPolicy!.subGroupSize = 2),
    updateDenied: `${SGS}: Invalid value: 2: field is immutable`,
  },
  {
    name: 'number of subGroupSize cannot be added after update',
    create: lws(sizes(1, 2)),
    update: (l) => (l.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupSize: 2 }),
    updateDenied: `${SGS}: Invalid value: 2: cannot enable subGroupSize after the lws is already created`,
  },
  {
    name: 'number of subGroupSize can not be removed after update',
    create: lws(both(sizes(1, 2), subGroup(1))),
    update: (l) => delete l.spec.leaderWorkerTemplate.subGroupPolicy,
    updateDenied: `${SGS}: Invalid value: 1: cannot remove subGroupSize after enabled`,
  },
  {
    name: 'number of replicas can be updated',
    create: lws(sizes(1, 1)),
    update: sizes(3, undefined),
  },
  {
    name: 'update with invalid replicas should fail (larger than 1000000)',
    create: lws(sizes(1, 1)),
    update: sizes(1000001, undefined),
    updateDenied: 'spec.replicas: Invalid value: 1000001: replicas must be equal or less than 1000000',
  },
  {
    name: 'leader/workerTemplate can be updated',
    create: lws(),
    update: (l) => {
      l.spec.leaderWorkerTemplate.leaderTemplate!.spec = makeWorkerPodSpec();
      l.spec.leaderWorkerTemplate.workerTemplate.spec = makeLeaderPodSpec();
    },
  },
  {
    name: 'subdomainPolicy can be updated from UniquePerReplica to Shared',
    create: lws((l) => (l.spec.networkConfig = { subdomainPolicy: 'UniquePerReplica' })),
    update: (l) => (l.spec.networkConfig!.subdomainPolicy = 'Shared'),
  },
  {
    name: 'subdomainPolicy can be updated from Shared to UniquePerReplica',
    create: lws(),
    update: (l) => (l.spec.networkConfig!.subdomainPolicy = 'UniquePerReplica'),
  },
  {
    name: 'subdomainPolicy can be updated from nil to UniquePerReplica',
    create: lws((l) => delete l.spec.networkConfig),
    update: (l) => (l.spec.networkConfig!.subdomainPolicy = 'UniquePerReplica'),
  },
  {
    name: 'subdomainPolicy can be updated to nil (defaulting puts Shared back)',
    create: lws(),
    update: (l) => delete l.spec.networkConfig!.subdomainPolicy,
  },
  {
    name: 'set restart policy should succeed',
    create: lws((l) => (l.spec.leaderWorkerTemplate.restartPolicy = 'None')),
  },
  {
    name: 'set restart policy should fail when value is invalid',
    create: lws((l) => (l.spec.leaderWorkerTemplate.restartPolicy = 'invalidValue' as never)),
    schemaRejects: true,
  },
  {
    name: 'set invalid rolloutStrategyType should be failed',
    create: lws((l) => (l.spec.rolloutStrategy!.type = 'invalidValue' as never)),
    schemaRejects: true,
  },
  {
    name: 'set maxUnavailable greater than replicas is allowed',
    create: lws(rolling({ maxUnavailable: 10 })),
  },
  {
    name: 'set maxUnavailable greater than 100% should be failed',
    create: lws(rolling({ maxUnavailable: '200%' })),
    createDenied: `${RUC}.maxUnavailable: Invalid value: "200%": must not be greater than 100%`,
  },
  {
    name: 'set maxUnavailable less than 0 should be failed',
    create: lws(rolling({ maxUnavailable: -1 })),
    createDenied: `${RUC}.maxUnavailable: Invalid value: -1: must be greater than or equal to 0`,
  },
  {
    name: 'set maxSurge greater than replicas is allowed',
    create: lws(rolling({ maxSurge: 10 })),
  },
  {
    name: 'set maxSurge greater than 100% should be failed',
    create: lws(rolling({ maxSurge: '200%' })),
    createDenied: `${RUC}.maxSurge: Invalid value: "200%": must not be greater than 100%`,
  },
  {
    name: 'set maxSurge less than 0 should be failed',
    create: lws(rolling({ maxSurge: -1 })),
    createDenied: `${RUC}.maxSurge: Invalid value: -1: must be greater than or equal to 0`,
  },
  {
    name: 'set maxUnavailable and maxSurge both to 0 should be failed',
    create: lws(rolling({ maxUnavailable: 0 })),
    createDenied: `${RUC}.maxUnavailable: Invalid value: 0: must not be 0 when \`maxSurge\` is 0`,
  },
  {
    name: 'set maxUnavailable to 0 and maxSurge to non-zero should succeed',
    create: lws(rolling({ maxUnavailable: 0, maxSurge: 1 })),
  },
  {
    name: 'set replica to 0 no matter maxUnavailable or maxSurge is should be allowed',
    create: lws(both(sizes(0, undefined), rolling({ maxUnavailable: '25%', maxSurge: '25%' }))),
  },
  {
    name: 'set maxSurge to 0 and maxUnavailable to non-zero should be failed (25% of 2 rounds down to 0)',
    create: lws(rolling({ maxUnavailable: '25%', maxSurge: 0 })),
    createDenied: `${RUC}.maxUnavailable: Invalid value: "25%": must not be 0 when \`maxSurge\` is 0`,
  },
  {
    name: 'creation with negative partition should fail',
    create: lws(rolling({ partition: -1 })),
    createDenied: `${RUC}.partition: Invalid value: -1: must be greater than or equal to 0`,
  },
  {
    name: 'creation with partition greater than replicas should succeed',
    create: lws(both(sizes(3, undefined), rolling({ partition: 5 }))),
  },
  {
    name: 'creation with partition equal to replicas should succeed',
    create: lws(both(sizes(3, undefined), rolling({ partition: 3 }))),
  },
  {
    name: 'creation with partition zero should succeed',
    create: lws(both(sizes(3, undefined), rolling({ partition: 0 }))),
  },
  { name: 'update partition should succeed', create: lws(sizes(5, undefined)), update: rolling({ partition: 2 }) },
  {
    name: 'update partition to negative should fail',
    create: lws(sizes(5, undefined)),
    update: rolling({ partition: -1 }),
    updateDenied: `${RUC}.partition: Invalid value: -1: must be greater than or equal to 0`,
  },
  {
    name: 'update partition to greater than replicas should succeed',
    create: lws(sizes(5, undefined)),
    update: rolling({ partition: 10 }),
  },
  {
    name: 'update partition to equal replicas should succeed',
    create: lws(sizes(5, undefined)),
    update: rolling({ partition: 5 }),
  },
  {
    name: 'update partition to zero should succeed',
    create: lws(sizes(5, undefined)),
    update: rolling({ partition: 0 }),
  },
  // Beyond upstream's integration tests.
  {
    name: 'subgroup-exclusive-topology without subGroupPolicy fails',
    create: lws((l) => (l.metadata.annotations = { [SUBGROUP_EXCLUSIVE_KEY_ANNOTATION]: 'zone' })),
    createDenied: `metadata.annotations.${SUBGROUP_EXCLUSIVE_KEY_ANNOTATION}: Invalid value: "zone": cannot have subgroup-exclusive-topology without subGroupSize set`,
  },
  {
    name: 'subgroup-exclusive-topology with subGroupPolicy is allowed',
    create: lws(both((l) => (l.metadata.annotations = { [SUBGROUP_EXCLUSIVE_KEY_ANNOTATION]: 'zone' }), subGroup(2))),
  },
  {
    name: 'size-1 divisible by subGroupSize is allowed (leader is the extra pod)',
    create: lws(both(sizes(undefined, 5), subGroup(2))),
  },
  {
    name: 'LeaderExcluded with (size-1) divisible by subGroupSize is allowed',
    create: lws(both(sizes(undefined, 5), subGroup(2, 'LeaderExcluded'))),
  },
  {
    name: 'a non-percent string fails both the percent check and scaling',
    create: lws(rolling({ maxSurge: 'abc' })),
    createDenied: `[${RUC}.maxSurge: Invalid value: "abc": ${PERCENT}, ${RUC}.maxSurge: Invalid value: "abc": invalid value]`,
  },
  {
    name: 'a percent string without digits also leaves maxUnavailable at 0',
    create: lws(rolling({ maxUnavailable: 'x%' })),
    createDenied: `[${RUC}.maxUnavailable: Invalid value: "x%": ${PERCENT}, ${RUC}.maxUnavailable: Invalid value: "x%": invalid value, ${RUC}.maxUnavailable: Invalid value: "x%": must not be 0 when \`maxSurge\` is 0]`,
  },
  {
    name: 'a name longer than 63 characters fails',
    create: lws((l) => (l.metadata.name = 'a'.repeat(64))),
    createDenied: `metadata.name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
  },
  {
    name: 'errors are reported together, in upstream order',
    create: lws(both(sizes(-1, 0), rolling({ maxSurge: '101%', partition: -2 }))),
    createDenied: `[spec.replicas: Invalid value: -1: replicas must be equal or greater than 0, spec.leaderWorkerTemplate.size: Invalid value: 0: size must be equal or greater than 1, ${RUC}.maxSurge: Invalid value: "101%": must not be greater than 100%, ${RUC}.partition: Invalid value: -2: must be greater than or equal to 0]`,
  },
  {
    name: 'subGroupSize 0 divides by zero in upstream (recovered panic)',
    create: lws(subGroup(0)),
    createDenied: 'panic: runtime error: integer divide by zero [recovered]',
  },
  {
    name: 'subGroupPolicy without subGroupSize dereferences nil in upstream (recovered panic)',
    create: lws((l) => (l.spec.leaderWorkerTemplate.subGroupPolicy = { subGroupPolicyType: 'LeaderWorker' })),
    createDenied: 'panic: runtime error: invalid memory address or nil pointer dereference [recovered]',
  },
];

for (const c of validationCases) {
  test(`LWS validation: ${c.name}`, () => {
    const created = admit(c.create);
    assert.equal(created.denied, c.createDenied);
    if (!c.update || created.denied) return;
    const updated = admit(edit(created.object!, c.update), created.object);
    assert.equal(updated.denied, c.updateDenied);
  });
}

test('field errors carry upstream type, path and value', () => {
  const bad = lws(both(sizes(-1, 2), rolling({ maxUnavailable: '200%' })));
  assert.deepStrictEqual(validateLeaderWorkerSet(bad), [
    {
      type: 'FieldValueInvalid',
      field: 'spec.replicas',
      badValue: -1,
      detail: 'replicas must be equal or greater than 0',
    },
    {
      type: 'FieldValueInvalid',
      field: `${RUC}.maxUnavailable`,
      badValue: '200%',
      detail: 'must not be greater than 100%',
      jsonEncoded: true,
    },
  ]);
});

test('update rejects a networkConfig without subdomainPolicy (unreachable behind defaulting)', () => {
  const old = admit(lws()).object!;
  const next = edit(old, (l) => (l.spec.networkConfig = {}));
  assert.equal(
    formatFieldErrors(validateLeaderWorkerSet(next, old)),
    'spec.networkConfig.subdomainPolicy: Invalid value: "Shared": cannot set subdomainPolicy as null',
  );
});

test('update panics like upstream when the stored object has no networkConfig', () => {
  const old = edit(admit(lws()).object!, (l) => delete l.spec.networkConfig);
  const next = edit(old, (l) => (l.spec.networkConfig = {}));
  assert.throws(() => validateLeaderWorkerSet(next, old), GoPanic);
});
