import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaledValue, type IntOrString } from './intstr.ts';

// [value, total, roundUp, expected or error text]
const rows: [IntOrString, number, boolean, number | string][] = [
  [3, 10, false, 3],
  [0, 10, true, 0],
  ['25%', 2, false, 0],
  ['25%', 2, true, 1],
  ['50%', 3, false, 1],
  ['50%', 3, true, 2],
  ['30%', 10, false, 3],
  ['33%', 10, true, 4],
  ['100%', 4, false, 4],
  ['0%', 4, true, 0],
  ['+5%', 100, false, 5],
  ['5', 100, false, 'invalid value for IntOrString: invalid type: string is not a percentage'],
  ['x%', 100, false, 'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax'],
];

for (const [value, total, roundUp, expected] of rows) {
  test(`scaledValue(${JSON.stringify(value)}, ${total}, roundUp=${roundUp})`, () => {
    if (typeof expected === 'string') assert.throws(() => scaledValue(value, total, roundUp), { message: expected });
    else assert.equal(scaledValue(value, total, roundUp), expected);
  });
}
