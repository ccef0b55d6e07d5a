/**
 * The DisaggregatedSet webhook's tables: upstream v0.10.0's unit tests
 * (pkg/webhooks/disaggregatedset/disaggregatedset_webhook_test.go) and integration cases
 * (test/integration/webhooks/disaggregatedset_test.go) replayed under both rule sets, upstream main's #966 cases,
 * exact messages, and our child-LeaderWorkerSet rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DisaggregatedRoleSpec, DisaggregatedSet } from '../api/types.ts';
import { formatFieldErrors } from '../../k8s/validation/field-errors.ts';
import { applyDisaggregatedSetCrdDefaults } from './crd-defaults.ts';
import { OUR_RULES, UPSTREAM_V0_10_0, validateDisaggregatedSet, type DisaggregatedSetRules } from './validation.ts';

const EXCLUSIVE = 'leaderworkerset.sigs.k8s.io/exclusive-topology';
const SUBGROUP_EXCLUSIVE = 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology';
const RUC = 'spec.rolloutStrategy.rollingUpdateConfiguration';

type Role = DisaggregatedRoleSpec;
const role = (name: string, replicas: number | undefined, extra: (r: Role) => void = () => {}): Role => {
  const r: Role = { name, spec: replicas === undefined ? {} : { replicas } };
  extra(r);
  return r;
};
const ds = (roles: Role[], extra: (d: DisaggregatedSet) => void = () => {}, name = 'test'): DisaggregatedSet => {
  const d: DisaggregatedSet = { metadata: { name, namespace: 'default' }, spec: { roles } };
  extra(d);
  return d;
};
const rollout = (strategy: Record<string, unknown>) => (r: Role) => {
  r.spec!.rolloutStrategy = strategy;
};
const twoRoles = (first: Role) => [first, role('decode', 2)];
const placement = (type: 'ExclusiveSlice' | 'ExclusiveTopology', topology?: string) => (d: DisaggregatedSet) => {
  d.spec.placementPolicy = topology === undefined ? { type } : { type, topology };
};
const roleAnnotation = (key: string) => (r: Role) => {
  r.metadata = { annotations: { [key]: 'rack' } };
};
const templateAnnotation = (which: 'leaderTemplate' | 'workerTemplate', key: string) => (r: Role) => {
  r.spec!.leaderWorkerTemplate = { [which]: { metadata: { annotations: { [key]: 'rack' } } } };
};

interface Case {
  name: string;
  obj: DisaggregatedSet;
  /** Substring of the denial, as upstream's test asserts; undefined: allowed. */
  errorMsg?: string;
  /** The whole denial message, where pinned. */
  message?: string;
  warnings?: string[];
}

// TestValidateCreate (v0.10.0), in order.
const upstreamCreate: Case[] = [
  { name: 'valid DisaggregatedSet with no rolloutStrategy', obj: ds([role('prefill', 2), role('decode', 2)]) },
  {
    name: 'valid DisaggregatedSet with RollingUpdate type',
    obj: ds(
      twoRoles(
        role(
          'prefill',
          2,
          rollout({ type: 'RollingUpdate', rollingUpdateConfiguration: { maxSurge: 1, maxUnavailable: 0 } }),
        ),
      ),
    ),
  },
  {
    name: 'valid DisaggregatedSet with partition set to 0',
    obj: ds(twoRoles(role('prefill', 2, rollout({ rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1 } })))),
  },
  {
    name: 'invalid DisaggregatedSet with partition set to non-zero',
    // Go's zero IntOrStrings: maxSurge 0 and maxUnavailable 0, so the both-zero rule fires too.
    obj: ds(twoRoles(role('prefill', 2, rollout({ rollingUpdateConfiguration: { partition: 1 } })))),
    errorMsg: 'partition',
    message:
      `[spec.roles[0].${RUC}.partition: Forbidden: partition is not supported by DisaggregatedSet; rolling updates are managed across roles by the DisaggregatedSet controller, ` +
      `spec.roles[0].${RUC}.maxUnavailable: Invalid value: 0: must not be 0 when \`maxSurge\` is 0]`,
  },
  {
    name: 'invalid DisaggregatedSet with unsupported rollout type',
    obj: ds(twoRoles(role('prefill', 2, rollout({ type: 'SomeOtherType' })))),
    errorMsg: 'type',
    message: `spec.roles[0].spec.rolloutStrategy.type: Unsupported value: "SomeOtherType": supported values: "RollingUpdate", ""`,
  },
  {
    name: 'invalid DisaggregatedSet with multiple validation errors',
    obj: ds(
      twoRoles(role('prefill', 2, rollout({ type: 'InvalidType', rollingUpdateConfiguration: { partition: 5 } }))),
    ),
    errorMsg: 'type',
  },
  {
    name: 'valid placement policy ExclusiveSlice with topology',
    obj: ds([role('prefill', 2), role('decode', 2)], placement('ExclusiveSlice', 'cloud.google.com/gke-nodepool')),
  },
  {
    name: 'invalid placement policy missing topology',
    obj: ds([role('prefill', 2), role('decode', 2)], placement('ExclusiveTopology')),
    errorMsg: 'topology',
    message: 'spec.placementPolicy.topology: Required value: topology is required when type is not None',
  },
  {
    name: 'invalid placement policy combined with LWS exclusive-topology annotation',
    obj: ds(
      [role('prefill', 2, roleAnnotation(EXCLUSIVE)), role('decode', 2)],
      placement('ExclusiveSlice', 'cloud.google.com/gke-nodepool'),
    ),
    errorMsg: 'exclusive-topology',
    message: `spec.roles[0]: Forbidden: the "${EXCLUSIVE}" annotation must not be combined with a non-None spec.placementPolicy.type (ExclusiveSlice)`,
  },
  {
    name: 'invalid placement policy with exclusive-topology on the worker template',
    obj: ds(
      [role('prefill', 2, templateAnnotation('workerTemplate', EXCLUSIVE)), role('decode', 2)],
      placement('ExclusiveSlice', 'cloud.google.com/gke-nodepool'),
    ),
    errorMsg: 'exclusive-topology',
  },
  {
    name: 'invalid placement policy combined with LWS subgroup-exclusive-topology annotation',
    obj: ds(
      [role('prefill', 2, roleAnnotation(SUBGROUP_EXCLUSIVE)), role('decode', 2)],
      placement('ExclusiveSlice', 'cloud.google.com/gke-nodepool'),
    ),
    errorMsg: 'subgroup-exclusive-topology',
  },
  {
    name: 'invalid placement policy with subgroup-exclusive-topology on the leader template',
    obj: ds(
      [role('prefill', 2, templateAnnotation('leaderTemplate', SUBGROUP_EXCLUSIVE)), role('decode', 2)],
      placement('ExclusiveSlice', 'cloud.google.com/gke-nodepool'),
    ),
    errorMsg: 'subgroup-exclusive-topology',
  },
  {
    name: 'invalid placement policy with subgroup-exclusive-topology on the worker template',
    obj: ds(
      [role('prefill', 2, templateAnnotation('workerTemplate', SUBGROUP_EXCLUSIVE)), role('decode', 2)],
      placement('ExclusiveSlice', 'cloud.google.com/gke-nodepool'),
    ),
    errorMsg: 'subgroup-exclusive-topology',
    message: `spec.roles[0]: Forbidden: the "${SUBGROUP_EXCLUSIVE}" annotation must not be combined with a non-None spec.placementPolicy.type (ExclusiveSlice)`,
  },
  {
    name: 'invalid: maxSurge=0 and maxUnavailable=0 with replicas > 0 (int literal)',
    obj: ds(twoRoles(role('prefill', 2, rollout({ rollingUpdateConfiguration: { maxSurge: 0, maxUnavailable: 0 } })))),
    errorMsg: 'must not be 0 when `maxSurge` is 0',
  },
  {
    name: 'invalid: maxSurge=0% and maxUnavailable=0% with replicas > 0 (percentage)',
    obj: ds(
      twoRoles(role('prefill', 2, rollout({ rollingUpdateConfiguration: { maxSurge: '0%', maxUnavailable: '0%' } }))),
    ),
    errorMsg: 'must not be 0 when `maxSurge` is 0',
    message: `spec.roles[0].${RUC}.maxUnavailable: Invalid value: "0%": must not be 0 when \`maxSurge\` is 0`,
  },
  {
    name: 'valid: maxSurge=0 and maxUnavailable=1 (only one is zero)',
    obj: ds(twoRoles(role('prefill', 2, rollout({ rollingUpdateConfiguration: { maxSurge: 0, maxUnavailable: 1 } })))),
  },
  {
    name: 'valid: maxSurge=0 and maxUnavailable=0 but replicas=0 (zero-replica exemption)',
    obj: ds([
      role('prefill', 0, rollout({ rollingUpdateConfiguration: { maxSurge: 0, maxUnavailable: 0 } })),
      role('decode', 0),
    ]),
  },
];

// TestValidateExternalScalingRules (v0.10.0).
const external = (r: Role) => {
  r.scaling = { mode: 'External' };
};
const upstreamExternal: Case[] = [
  {
    name: 'warns when External + replicas > 1',
    obj: ds([role('prefill', 3, external)], () => {}, 'ds'),
    warnings: [
      'role "prefill" sets scaling.mode: External and spec.replicas: 3 — spec.replicas is ignored; drive replicas via DisaggregatedSetRoleScaler "ds-prefill" instead',
    ],
  },
  {
    name: 'rejects External + spec.slices > 1',
    obj: ds(
      [{ name: 'prefill', scaling: { mode: 'External' } }],
      (d) => {
        d.spec.slices = 2;
      },
      'ds',
    ),
    errorMsg: 'spec.slices > 1',
    message:
      'spec.slices: Forbidden: spec.slices > 1 is not supported while any role has scaling.mode: External (alpha restriction)',
  },
  {
    name: 'rejects when scaler name would exceed 253 chars',
    obj: ds([{ name: 'prefill', scaling: { mode: 'External' } }], () => {}, 'a'.repeat(250)),
    errorMsg: '253 characters',
  },
];

// test/integration/webhooks/disaggregatedset_test.go: the wrapper's roles (1 replica, an nginx container,
// rollout type RollingUpdate, startup policy LeaderCreated), through the apiserver's CRD defaults.
const integrationRole = (name: string): Role => ({
  name,
  spec: {
    replicas: 1,
    rolloutStrategy: { type: 'RollingUpdate' },
    startupPolicy: 'LeaderCreated',
    leaderWorkerTemplate: {
      workerTemplate: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.14.2' }] } },
    },
  },
});
const integration = (extra: (d: DisaggregatedSet) => void = () => {}) =>
  applyDisaggregatedSetCrdDefaults(
    ds([integrationRole('prefill'), integrationRole('decode')], extra, 'placement-test'),
  );
const withRoleAnnotation = (index: number, key: string) => (d: DisaggregatedSet) => {
  d.spec.roles[index]!.metadata = { annotations: { [key]: 'kubernetes.io/hostname' } };
};
const withWorkerAnnotation = (index: number, key: string) => (d: DisaggregatedSet) => {
  d.spec.roles[index]!.spec!.leaderWorkerTemplate!.workerTemplate!.metadata = {
    annotations: { [key]: 'kubernetes.io/hostname' },
  };
};
const withPlacement = (type: 'ExclusiveSlice' | 'ExclusiveTopology') => (d: DisaggregatedSet) => {
  d.spec.placementPolicy = { type, topology: 'kubernetes.io/hostname' };
};
const both =
  (...fs: ((d: DisaggregatedSet) => void)[]) =>
  (d: DisaggregatedSet) =>
    fs.forEach((f) => f(d));
const upstreamIntegration: Case[] = [
  { name: 'placement policy alone is allowed', obj: integration(withPlacement('ExclusiveSlice')) },
  {
    name: 'LWS exclusive-topology annotation alone is allowed',
    obj: integration(withRoleAnnotation(0, EXCLUSIVE)),
  },
  {
    name: 'policy combined with exclusive-topology on the role metadata is rejected',
    obj: integration(both(withPlacement('ExclusiveSlice'), withRoleAnnotation(0, EXCLUSIVE))),
    errorMsg: EXCLUSIVE,
  },
  {
    name: 'policy combined with exclusive-topology on the worker template is rejected',
    obj: integration(both(withPlacement('ExclusiveTopology'), withWorkerAnnotation(1, EXCLUSIVE))),
    errorMsg: EXCLUSIVE,
    message: `spec.roles[1]: Forbidden: the "${EXCLUSIVE}" annotation must not be combined with a non-None spec.placementPolicy.type (ExclusiveTopology)`,
  },
  {
    name: 'policy combined with subgroup-exclusive-topology is rejected',
    obj: integration(both(withPlacement('ExclusiveSlice'), withRoleAnnotation(1, SUBGROUP_EXCLUSIVE))),
    errorMsg: SUBGROUP_EXCLUSIVE,
  },
  // The two update cases: ValidateUpdate checks the new object alone.
  {
    name: 'update: adding an exclusive-topology annotation next to a placement policy is rejected',
    obj: integration(both(withPlacement('ExclusiveSlice'), withRoleAnnotation(0, EXCLUSIVE))),
    errorMsg: EXCLUSIVE,
  },
  {
    name: 'update: adding a placement policy next to an exclusive-topology annotation is rejected',
    obj: integration(both(withRoleAnnotation(0, EXCLUSIVE), withPlacement('ExclusiveSlice'))),
    errorMsg: EXCLUSIVE,
  },
];

function check(c: Case, rules: DisaggregatedSetRules, old?: DisaggregatedSet): void {
  const { errors, warnings } = validateDisaggregatedSet(c.obj, old, rules);
  const message = formatFieldErrors(errors);
  if (c.errorMsg === undefined) assert.equal(message, '', c.name);
  else {
    assert.ok(message.includes(c.errorMsg), `${c.name}: ${message}`);
    if (c.message !== undefined) assert.equal(message, c.message, c.name);
  }
  assert.deepEqual(warnings, c.warnings ?? [], c.name);
}

for (const [label, rules] of [
  ['upstream v0.10.0 rules', UPSTREAM_V0_10_0],
  ['our rules', OUR_RULES],
] as const) {
  test(`TestValidateCreate (${label})`, () => upstreamCreate.forEach((c) => check(c, rules)));
  test(`TestValidateUpdate (${label}): the new object alone decides`, () => {
    const valid = ds([role('prefill', 2), role('decode', 2)]);
    check({ name: 'valid update', obj: valid }, rules, valid);
    check(
      {
        name: 'invalid update with partition',
        obj: ds(twoRoles(role('prefill', 2, rollout({ rollingUpdateConfiguration: { partition: 1 } })))),
        errorMsg: 'partition',
      },
      rules,
      valid,
    );
    check(
      {
        name: 'invalid update: maxSurge=0 and maxUnavailable=0 with replicas > 0',
        obj: ds(
          twoRoles(role('prefill', 2, rollout({ rollingUpdateConfiguration: { maxSurge: 0, maxUnavailable: 0 } }))),
        ),
        errorMsg: 'must not be 0 when `maxSurge` is 0',
      },
      rules,
      valid,
    );
  });
  test(`TestValidateExternalScalingRules (${label})`, () => upstreamExternal.forEach((c) => check(c, rules)));
  test(`integration: placement policy validation (${label})`, () =>
    upstreamIntegration.forEach((c) => check(c, rules)));
}

test('the scaler-name message and the individual maxSurge/maxUnavailable checks', () => {
  const long = 'a'.repeat(250);
  const { errors } = validateDisaggregatedSet(
    ds([{ name: 'prefill', scaling: { mode: 'External' } }], () => {}, long),
    undefined,
    UPSTREAM_V0_10_0,
  );
  assert.equal(
    formatFieldErrors(errors),
    `spec.roles[0].name: Invalid value: "prefill": would produce scaler name "${long}-prefill" exceeding 253 characters`,
  );
  const bad = ds(
    twoRoles(role('p', 2, rollout({ rollingUpdateConfiguration: { maxSurge: '200%', maxUnavailable: -1 } }))),
  );
  assert.equal(
    formatFieldErrors(validateDisaggregatedSet(bad, undefined, UPSTREAM_V0_10_0).errors),
    `[spec.roles[0].${RUC}.maxUnavailable: Invalid value: -1: must be greater than or equal to 0, ` +
      `spec.roles[0].${RUC}.maxSurge: Invalid value: "200%": must not be greater than 100%]`,
  );
  // Percent rounding: 1% of 2 rounds down for maxUnavailable (0) and up for maxSurge (1).
  const rounding = ds(
    twoRoles(role('p', 2, rollout({ rollingUpdateConfiguration: { maxSurge: '1%', maxUnavailable: '1%' } }))),
  );
  assert.deepEqual(validateDisaggregatedSet(rounding, undefined, UPSTREAM_V0_10_0).errors, []);
});

// Upstream main #966 (pkg/webhooks/disaggregatedset/disaggregatedset_webhook_test.go after v0.10.0).
const names = (dsName: string, roleName: string, slices?: number) =>
  ds(
    [role(roleName, 1), role('b', 1)],
    (d) => {
      if (slices !== undefined) d.spec.slices = slices;
    },
    dsName,
  );
const generatedNameCases: Case[] = [
  { name: 'generated service name at exact 63-char limit is accepted', obj: names('a'.repeat(40), 'b'.repeat(7)) },
  {
    name: 'generated service name 1 char over limit is rejected',
    obj: names('a'.repeat(40), 'b'.repeat(8)),
    errorMsg: 'would exceed the DNS-1035 limit',
    message:
      'spec.roles[0].name: Invalid value: "bbbbbbbb": the generated service name (64 chars) would exceed the DNS-1035 limit of 63 characters; reduce the DisaggregatedSet name and/or role name (combined limit: 47 characters)',
  },
  {
    name: 'long DS name with short role name exceeds limit',
    obj: ds([role('abc', 1), role('de', 1)], () => {}, 'x'.repeat(50)),
    errorMsg: 'would exceed the DNS-1035 limit',
    message:
      '[spec.roles[0].name: Invalid value: "abc": the generated service name (69 chars) would exceed the DNS-1035 limit of 63 characters; reduce the DisaggregatedSet name and/or role name (combined limit: 47 characters), ' +
      'spec.roles[1].name: Invalid value: "de": the generated service name (68 chars) would exceed the DNS-1035 limit of 63 characters; reduce the DisaggregatedSet name and/or role name (combined limit: 47 characters)]',
  },
  {
    name: 'multi-slice worst case pushes name over limit',
    obj: names('a'.repeat(40), 'b'.repeat(7), 100),
    errorMsg: 'would exceed the DNS-1035 limit',
    message:
      'spec.roles[0].name: Invalid value: "bbbbbbb": the generated service name (64 chars) would exceed the DNS-1035 limit of 63 characters; reduce the DisaggregatedSet name and/or role name (combined limit: 46 characters)',
  },
];

test('upstream main #966: generated names within 63 characters (ours; v0.10.0 accepts them)', () => {
  generatedNameCases.forEach((c) => check(c, OUR_RULES));
  for (const c of generatedNameCases) check({ name: c.name, obj: c.obj }, UPSTREAM_V0_10_0);
  // Appended to upstream's validate(): after the rollout and slices errors, before the placement ones.
  const mixed = names('a'.repeat(50), 'abc');
  mixed.spec.roles[1]!.spec!.rolloutStrategy = { type: 'Other' };
  mixed.spec.placementPolicy = { type: 'ExclusiveSlice' };
  const fields = validateDisaggregatedSet(mixed, undefined, OUR_RULES).errors.map((e) => e.field);
  assert.deepEqual(fields, [
    'spec.roles[1].spec.rolloutStrategy.type',
    'spec.roles[0].name',
    'spec.roles[1].name',
    'spec.placementPolicy.topology',
  ]);
});

// Ours: the child LeaderWorkerSet would be refused by the LeaderWorkerSet webhook.
const childRole = (name: string, change: (r: Role) => void = () => {}): Role => {
  const r = integrationRole(name);
  change(r);
  return r;
};
const children = (first: Role, extra: (d: DisaggregatedSet) => void = () => {}, name = 'my-ds') =>
  applyDisaggregatedSetCrdDefaults(ds([first, childRole('decode')], extra, name));
const template = (r: Role) => r.spec!.leaderWorkerTemplate!;

const childCases: { name: string; obj: DisaggregatedSet; message?: string }[] = [
  { name: 'a valid DisaggregatedSet', obj: children(childRole('prefill')) },
  {
    name: 'size 0',
    obj: children(childRole('prefill', (r) => (template(r).size = 0))),
    message: 'spec.roles[0].spec.leaderWorkerTemplate.size: Invalid value: 0: size must be equal or greater than 1',
  },
  {
    name: 'replicas × size beyond int32',
    obj: children(
      childRole('prefill', (r) => {
        r.spec!.replicas = 1000000;
        template(r).size = 3000;
      }),
      (d) => (d.spec.roles[1]!.spec!.replicas = 1),
    ),
    message:
      'spec.roles[0].spec.replicas: Invalid value: 1000000: the product of replicas and worker replicas must not exceed 2147483647',
  },
  {
    name: 'an invalid maxSurge on a zero-replica role (the DisaggregatedSet rule skips it, the LWS one does not)',
    obj: children(
      childRole('prefill', (r) => {
        r.spec!.replicas = 0;
        r.spec!.rolloutStrategy = { type: 'RollingUpdate', rollingUpdateConfiguration: { maxSurge: '150%' } };
      }),
      (d) => (d.spec.roles[1]!.spec!.replicas = 0),
    ),
    message: `spec.roles[0].${RUC}.maxSurge: Invalid value: "150%": must not be greater than 100%`,
  },
  {
    name: 'subGroupSize not dividing size',
    obj: children(
      childRole('prefill', (r) => {
        template(r).size = 5;
        template(r).subGroupPolicy = { subGroupSize: 3 };
      }),
    ),
    message:
      'spec.roles[0].spec.leaderWorkerTemplate.subGroupPolicy.subGroupSize: Invalid value: 3: size or size - 1 must be divisible by subGroupSize',
  },
  {
    name: 'subGroupPolicy without subGroupSize (upstream LWS panics)',
    obj: children(childRole('prefill', (r) => (template(r).subGroupPolicy = { subGroupPolicyType: 'LeaderWorker' }))),
    message:
      'spec.roles[0].spec.leaderWorkerTemplate.subGroupPolicy.subGroupSize: Required value: subGroupSize is required when subGroupPolicy is set',
  },
  {
    name: 'subGroupSize 0 (upstream LWS panics)',
    obj: children(childRole('prefill', (r) => (template(r).subGroupPolicy = { subGroupSize: 0 }))),
    message:
      'spec.roles[0].spec.leaderWorkerTemplate.subGroupPolicy.subGroupSize: Invalid value: 0: subGroupSize must be equal or greater than 1',
  },
  {
    name: 'subgroup-exclusive-topology on the role without subgroups',
    obj: children(childRole('prefill', roleAnnotation(SUBGROUP_EXCLUSIVE))),
    message: `spec.roles[0].metadata.annotations.${SUBGROUP_EXCLUSIVE}: Invalid value: "rack": cannot have subgroup-exclusive-topology without subGroupSize set`,
  },
  {
    name: 'a DisaggregatedSet name that cannot start a DNS-1035 label',
    obj: children(childRole('prefill'), () => {}, '1st.ds'),
    message:
      "[spec.roles[0].name: Invalid value: \"prefill\": the generated LeaderWorkerSet name \"1st.ds-<slice>-<revision>-prefill\" must be a DNS-1035 label: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?'), " +
      "spec.roles[1].name: Invalid value: \"decode\": the generated LeaderWorkerSet name \"1st.ds-<slice>-<revision>-decode\" must be a DNS-1035 label: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]",
  },
  {
    name: 'role labels the apiserver would refuse on the child LeaderWorkerSet',
    obj: children(
      childRole('prefill', (r) => {
        r.metadata = { labels: { 'kueue.x-k8s.io/queue-name': 'q', 'bad key': 'v' }, annotations: { 'a/b/c': '' } };
      }),
    ),
    message:
      "[spec.roles[0].metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), " +
      "spec.roles[0].metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')]",
  },
  {
    name: 'an External role is checked with 0 replicas (its count comes from the scaler)',
    obj: children(
      childRole('prefill', (r) => {
        r.scaling = { mode: 'External' };
        r.spec!.replicas = 1000000;
        template(r).size = 3000;
      }),
    ),
  },
];

test('ours: a role whose child LeaderWorkerSet the LWS webhook would refuse is refused at admission', () => {
  for (const c of childCases) {
    assert.equal(
      formatFieldErrors(validateDisaggregatedSet(c.obj, undefined, OUR_RULES).errors),
      c.message ?? '',
      c.name,
    );
    assert.equal(formatFieldErrors(validateDisaggregatedSet(c.obj, undefined, UPSTREAM_V0_10_0).errors), '', c.name);
  }
});

test('ours: the child rule never changes a refusal upstream already makes', () => {
  // size 0 and a partition: upstream's partition message alone.
  const obj = children(
    childRole('prefill', (r) => {
      template(r).size = 0;
      r.spec!.rolloutStrategy = { type: 'RollingUpdate', rollingUpdateConfiguration: { partition: 2 } };
    }),
  );
  const ours = formatFieldErrors(validateDisaggregatedSet(obj, undefined, OUR_RULES).errors);
  assert.equal(ours, formatFieldErrors(validateDisaggregatedSet(obj, undefined, UPSTREAM_V0_10_0).errors));
  assert.match(ours, /partition is not supported/);
});

test('CRD defaults: slices, placement type, scaling mode and the LWS spec defaults inside roles', () => {
  const out = applyDisaggregatedSetCrdDefaults({
    metadata: { name: 'x' },
    spec: {
      roles: [
        {
          name: 'a',
          scaling: {},
          spec: { leaderWorkerTemplate: { workerTemplate: {} }, rolloutStrategy: { rollingUpdateConfiguration: {} } },
        },
        { name: 'b', spec: null as never },
      ],
      placementPolicy: {},
      slices: null as never,
    },
  });
  assert.deepEqual(out.spec, {
    roles: [
      {
        name: 'a',
        scaling: { mode: 'Static' },
        spec: {
          replicas: 1,
          startupPolicy: 'LeaderCreated',
          leaderWorkerTemplate: { workerTemplate: {}, size: 1, restartPolicy: 'RecreateGroupOnPodRestart' },
          rolloutStrategy: {
            type: 'RollingUpdate',
            rollingUpdateConfiguration: { partition: 0, maxUnavailable: 1, maxSurge: 0 },
          },
        },
      },
      { name: 'b' },
    ],
    placementPolicy: { type: 'None' },
    slices: 1,
  });
});
