import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finalizersWith } from './finalizer.ts';
import { OPERATOR_FINALIZER } from '../core/plan.ts';

test('finalizersWith adds or removes only ours, and says when nothing changes', () => {
  assert.deepEqual(finalizersWith(undefined, true), [OPERATOR_FINALIZER]);
  assert.deepEqual(finalizersWith(['other'], true), ['other', OPERATOR_FINALIZER]);
  assert.equal(finalizersWith(['other', OPERATOR_FINALIZER], true), undefined);
  assert.deepEqual(finalizersWith(['other', OPERATOR_FINALIZER], false), ['other']);
  assert.equal(finalizersWith(['other'], false), undefined);
});
