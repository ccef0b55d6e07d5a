import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, parseGoDuration } from './duration.ts';

test('parses Go durations', () => {
  const cases: Array<[string, number]> = [
    ['15s', 15_000],
    ['0', 0],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['300ms', 300],
    ['-2s', -2000],
    ['+5m', 300_000],
    ['100us', 0.1],
    ['100µs', 0.1],
    ['2h45m', 9_900_000],
    ['.5s', 500],
  ];
  for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
});

test("rejects what Go rejects, with Go's message", () => {
  assert.throws(() => parseGoDuration('abc'), { message: 'time: invalid duration "abc"' });
  assert.throws(() => parseGoDuration('15'), { message: 'time: missing unit in duration "15"' });
  assert.throws(() => parseGoDuration('15x'), { message: 'time: unknown unit "x" in duration "15x"' });
  assert.throws(() => parseGoDuration(''), { message: 'time: invalid duration ""' });
  assert.throws(() => parseGoDuration('.s'), { message: 'time: invalid duration ".s"' });
});

test('formats like Duration.String()', () => {
  assert.equal(formatGoDuration(15_000), '15s');
  assert.equal(formatGoDuration(90_000), '1m30s');
  assert.equal(formatGoDuration(7_200_000), '2h0m0s');
  assert.equal(formatGoDuration(500), '500ms');
  assert.equal(formatGoDuration(2_400), '2.4s');
  assert.equal(formatGoDuration(0), '0s');
});
