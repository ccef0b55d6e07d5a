/**
 * Replays upstream (v0.10.0) pkg/utils/disaggregatedset/utils_test.go and affinity_test.go, plus
 * naming checks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InitialReplicasAnnotationKey, RoleLabelKey, SetNameLabelKey, SliceLabelKey } from '../api/keys.ts';
import type { LeaderWorkerSetLike, PlacementPolicy, PodSpecLike } from '../api/types.ts';
import { setPlacementAffinities } from './affinity.ts';
import { getScaledValueFromIntOrPercent } from './rollout.ts';
import { lws } from './testkit.ts';
import {
  computeInitialReplicaState,
  generateLabels,
  generateLegacyName,
  generateName,
  getInitialReplicas,
  goParseInt,
  setInitialReplicas,
  sliceLabelMatches,
} from './utils.ts';

const annotated = (value: string | undefined, extra?: Record<string, string>): LeaderWorkerSetLike =>
  lws('test-lws', {
    annotations: value === undefined ? extra : { ...extra, [InitialReplicasAnnotationKey]: value },
  });

describe('utils: TestGetInitialReplicas', () => {
  it('returns parsed int from valid annotation', () => assert.equal(getInitialReplicas(annotated('5')), 5));
  it('returns zero and false for missing annotation', () =>
    assert.equal(getInitialReplicas(lws('x', { annotations: {} })), undefined));
  it('returns zero and false for nil annotations', () => assert.equal(getInitialReplicas(lws('x')), undefined));
  it('returns zero and false for invalid annotation value', () =>
    assert.equal(getInitialReplicas(annotated('not-a-number')), undefined));
  it('returns zero and false for empty annotation value', () =>
    assert.equal(getInitialReplicas(annotated('')), undefined));
  it('handles zero value annotation', () => assert.equal(getInitialReplicas(annotated('0')), 0));
  it('rejects values outside int32 (ParseInt bitSize 32)', () =>
    assert.equal(getInitialReplicas(annotated('2147483648')), undefined));
});

describe('utils: TestSetInitialReplicas', () => {
  it('sets annotation as string on LWS with nil annotations', () =>
    assert.equal(
      setInitialReplicas(lws('x', { replicas: 3 }), 3).metadata.annotations?.[InitialReplicasAnnotationKey],
      '3',
    ));
  it('sets annotation as string on LWS with existing annotations', () => {
    const out = setInitialReplicas(annotated(undefined, { 'other-key': 'other-value' }), 5);
    assert.equal(out.metadata.annotations?.[InitialReplicasAnnotationKey], '5');
    assert.equal(out.metadata.annotations?.['other-key'], 'other-value');
  });
  it('overwrites existing annotation', () =>
    assert.equal(setInitialReplicas(annotated('10'), 7).metadata.annotations?.[InitialReplicasAnnotationKey], '7'));
  it('handles zero replicas', () =>
    assert.equal(
      setInitialReplicas(lws('x', { replicas: 0 }), 0).metadata.annotations?.[InitialReplicasAnnotationKey],
      '0',
    ));
});

describe('utils: TestComputeInitialReplicaState', () => {
  const item = (role: string, replicas: number | undefined, ann?: string): LeaderWorkerSetLike =>
    lws('lws', {
      labels: { [RoleLabelKey]: role },
      replicas,
      annotations: ann === undefined ? undefined : { [InitialReplicasAnnotationKey]: ann },
    });
  const state = (items: LeaderWorkerSetLike[]) => {
    const m = computeInitialReplicaState(items);
    return { prefill: m.get('prefill') ?? 0, decode: m.get('decode') ?? 0 };
  };
  it('returns empty map for empty list', () => assert.deepEqual(state([]), { prefill: 0, decode: 0 }));
  it('sums prefill annotations correctly', () =>
    assert.deepEqual(state([item('prefill', 3, '3'), item('prefill', 2, '2')]), { prefill: 5, decode: 0 }));
  it('sums decode annotations correctly', () =>
    assert.deepEqual(state([item('decode', 4, '4'), item('decode', 6, '6')]), { prefill: 0, decode: 10 }));
  it('sums mixed prefill and decode correctly', () =>
    assert.deepEqual(state([item('prefill', 3, '3'), item('decode', 6, '6'), item('prefill', 2, '2')]), {
      prefill: 5,
      decode: 6,
    }));
  it('uses spec.Replicas fallback for missing annotation', () => assert.equal(state([item('prefill', 4)]).prefill, 4));
  it('uses spec.Replicas fallback for invalid annotation', () =>
    assert.equal(state([item('decode', 5, 'not-a-number')]).decode, 5));
  it('handles mixed valid and invalid annotations', () =>
    assert.equal(state([item('prefill', 3, '3'), item('prefill', 2, 'invalid')]).prefill, 5));
  it('handles nil spec.Replicas with missing annotation', () =>
    assert.equal(state([item('prefill', undefined)]).prefill, 1));
});

describe('utils: TestSliceLabelMatches', () => {
  const cases: [string, Record<string, string> | undefined, number, boolean][] = [
    ['all slices matches label-less', undefined, -1, true],
    ['all slices matches labeled', { [SliceLabelKey]: '3' }, -1, true],
    ['slice 0 matches legacy label-less', undefined, 0, true],
    ['slice 0 matches empty label', { [SliceLabelKey]: '' }, 0, true],
    ['slice 0 matches slice 0', { [SliceLabelKey]: '0' }, 0, true],
    ['slice 0 does not match slice 1', { [SliceLabelKey]: '1' }, 0, false],
    ['slice 1 does not match legacy label-less', undefined, 1, false],
    ['slice 1 matches slice 1', { [SliceLabelKey]: '1' }, 1, true],
  ];
  for (const [name, labels, slice, want] of cases) it(name, () => assert.equal(sliceLabelMatches(labels, slice), want));
});

describe('utils: naming', () => {
  it('GenerateName / GenerateLegacyName', () => {
    assert.equal(generateName('my-app', 0, 'ef53f2d7', 'prefill'), 'my-app-0-ef53f2d7-prefill');
    assert.equal(generateLegacyName('my-app', 'ef53f2d7', 'prefill'), 'my-app-ef53f2d7-prefill');
  });
  it('GenerateLabels', () =>
    assert.deepEqual(generateLabels('ds', 2, 'rev', 'decode'), {
      app: 'ds-2-decode',
      [RoleLabelKey]: 'decode',
      [SliceLabelKey]: '2',
      [SetNameLabelKey]: 'ds',
      'disaggregatedset.x-k8s.io/revision': 'rev',
    }));
  it('goParseInt follows strconv (sign allowed, no spaces, range)', () => {
    assert.equal(goParseInt('+7', 32), 7);
    assert.equal(goParseInt('-7', 32), -7);
    assert.equal(goParseInt(' 7', 32), undefined);
    assert.equal(goParseInt('2147483647', 32), 2147483647);
    assert.equal(goParseInt('-2147483649', 32), undefined);
  });
  it('GetScaledValueFromIntOrPercent', () => {
    assert.deepEqual(getScaledValueFromIntOrPercent('25%', 10, true), { ok: true, value: 3 });
    assert.deepEqual(getScaledValueFromIntOrPercent('25%', 10, false), { ok: true, value: 2 });
    assert.deepEqual(getScaledValueFromIntOrPercent(3, 10, false), { ok: true, value: 3 });
    assert.equal(getScaledValueFromIntOrPercent('0', 10, false).ok, false);
    assert.equal(getScaledValueFromIntOrPercent('x%', 10, false).ok, false);
  });
});

describe('affinity: TestSetPlacementAffinities', () => {
  const dsName = 'my-ds';
  const topo = 'cloud.google.com/gke-nodepool';
  const pol = (type: PlacementPolicy['type'], topology = topo): PlacementPolicy => ({ type, topology });

  it('nil policy injects nothing', () =>
    assert.equal(setPlacementAffinities({}, dsName, 0, undefined).affinity, undefined));
  it('None injects nothing', () =>
    assert.equal(setPlacementAffinities({}, dsName, 0, pol('None')).affinity, undefined));
  it('non-None with empty topology injects nothing', () =>
    assert.equal(setPlacementAffinities({}, dsName, 0, pol('ExclusiveSlice', '')).affinity, undefined));
  it('ExclusiveSlice injects co-location and same-set spread', () => {
    const a = setPlacementAffinities({}, dsName, 1, pol('ExclusiveSlice')).affinity!;
    const aff = a.podAffinity!.requiredDuringSchedulingIgnoredDuringExecution!;
    assert.equal(aff.length, 1);
    assert.equal(aff[0]!.topologyKey, topo);
    assert.deepEqual(aff[0]!.labelSelector!.matchExpressions, [
      { key: SetNameLabelKey, operator: 'In', values: [dsName] },
      { key: SliceLabelKey, operator: 'In', values: ['1'] },
    ]);
    const anti = a.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution!;
    assert.equal(anti.length, 1);
    assert.equal(anti[0]!.topologyKey, topo);
    assert.deepEqual(anti[0]!.labelSelector!.matchExpressions, [
      { key: SetNameLabelKey, operator: 'In', values: [dsName] },
      { key: SliceLabelKey, operator: 'NotIn', values: ['1'] },
    ]);
  });
  it('slice 0 spread requires the slice label to exist', () => {
    const anti = setPlacementAffinities({}, dsName, 0, pol('ExclusiveSlice')).affinity!.podAntiAffinity!
      .requiredDuringSchedulingIgnoredDuringExecution!;
    assert.equal(anti.length, 1);
    assert.deepEqual(anti[0]!.labelSelector!.matchExpressions, [
      { key: SetNameLabelKey, operator: 'In', values: [dsName] },
      { key: SliceLabelKey, operator: 'Exists' },
      { key: SliceLabelKey, operator: 'NotIn', values: ['0'] },
    ]);
  });
  it('ExclusiveTopology adds cross-set exclusion', () => {
    const a = setPlacementAffinities({}, dsName, 0, pol('ExclusiveTopology')).affinity!;
    assert.equal(a.podAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.length, 1);
    const anti = a.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution!;
    assert.equal(anti.length, 2);
    assert.equal(anti[1]!.topologyKey, topo);
    assert.deepEqual(anti[1]!.labelSelector!.matchExpressions, [
      { key: SetNameLabelKey, operator: 'Exists' },
      { key: SetNameLabelKey, operator: 'NotIn', values: [dsName] },
      { key: SliceLabelKey, operator: 'Exists' },
    ]);
  });
  it("preserves existing affinity without mutating the caller's copy", () => {
    const existing = {
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'existing-key' }] },
      nodeAffinity: {},
    };
    const podSpec: PodSpecLike = { affinity: existing };
    const out = setPlacementAffinities(podSpec, dsName, 0, pol('ExclusiveSlice'));
    const terms = out.affinity!.podAffinity!.requiredDuringSchedulingIgnoredDuringExecution!;
    assert.equal(terms.length, 2);
    assert.equal(terms[0]!.topologyKey, 'existing-key');
    assert.notEqual(out.affinity!.nodeAffinity, undefined);
    assert.equal(existing.podAffinity.requiredDuringSchedulingIgnoredDuringExecution.length, 1);
    assert.equal(podSpec.affinity, existing);
  });
});
