import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { kwokStages } from './stages.ts';

const podReadySelector = (yaml: string) => {
  const stages = parseAllDocuments(yaml).map((d) => d.toJS());
  const ready = stages.find((s) => s.metadata.name === 'pod-ready');
  return ready.spec.selector.matchExpressions as { key: string; operator: string; values?: string[] }[];
};

test('pod-ready waits the configured delay and matches every pending pod by default', () => {
  const yaml = kwokStages({ podReadyDelayMs: 2000, podDeleteDelayMs: 1000 });
  assert.deepStrictEqual(
    podReadySelector(yaml).map((e) => e.key),
    ['.metadata.deletionTimestamp', '.status.phase', '.status.conditions.[] | select( .type == "Ready" ) | .status'],
  );
  assert.match(yaml, /durationMilliseconds: 2000/);
  assert.match(yaml, /durationMilliseconds: 1000/);
});

test('pods of an unpullable image are never made Ready', () => {
  const yaml = kwokStages({ podReadyDelayMs: 500, podDeleteDelayMs: 500, unpullableImages: ['not-exist-image:v1'] });
  assert.deepStrictEqual(podReadySelector(yaml).at(-1), {
    key: '.spec.containers.[].image',
    operator: 'NotIn',
    values: ['not-exist-image:v1'],
  });
});

test('pod-delete finishes only graceful deletions: a grace period of 0 is for the apiserver to finish', () => {
  const stages = parseAllDocuments(kwokStages({ podReadyDelayMs: 0, podDeleteDelayMs: 0 })).map((d) => d.toJS());
  const podDelete = stages.find((s) => s.metadata.name === 'pod-delete');
  assert.deepStrictEqual(podDelete.spec.selector.matchExpressions, [
    { key: '.metadata.deletionTimestamp', operator: 'Exists' },
    { key: '.metadata.finalizers', operator: 'DoesNotExist' },
    { key: '.metadata.deletionGracePeriodSeconds > 0', operator: 'In', values: ['true'] },
  ]);
  assert.deepStrictEqual(podDelete.spec.next, { delete: true });
});
