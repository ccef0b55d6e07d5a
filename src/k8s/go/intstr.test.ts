import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidPercent, percentValue, scaledValue } from './intstr.ts';

// Upstream pkg/webhooks/leaderworkerset_webhook_test.go TestGetPercentValue, plus edge cases.
const percents: [string | number, number | undefined][] = [
  [1, undefined],
  ['1', undefined],
  ['1%', 1],
  ['101%', 101],
  ['-5%', undefined],
  ['99999999999999999999%', Number.MAX_SAFE_INTEGER],
];

for (const [input, expected] of percents) {
  test(`percentValue(${JSON.stringify(input)})`, () => assert.equal(percentValue(input), expected));
}

test('isValidPercent message', () => {
  assert.deepStrictEqual(isValidPercent('25%'), []);
  assert.deepStrictEqual(isValidPercent('25'), [
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
  ]);
});

const scaled: [string | number, number, boolean, number | 'error'][] = [
  [3, 10, false, 3],
  ['25%', 2, false, 0],
  ['25%', 2, true, 1],
  ['30%', 10, false, 3],
  ['33%', 10, true, 4],
  ['+5%', 100, false, 5],
  ['-5%', 100, false, -5],
  ['5', 100, false, 'error'],
  ['x%', 100, false, 'error'],
];

for (const [value, total, roundUp, expected] of scaled) {
  test(`scaledValue(${JSON.stringify(value)}, ${total}, roundUp=${roundUp})`, () => {
    if (expected === 'error') assert.throws(() => scaledValue(value, total, roundUp));
    else assert.equal(scaledValue(value, total, roundUp), expected);
  });
}
