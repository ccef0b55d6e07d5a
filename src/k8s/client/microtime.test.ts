import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMicroTime, formatTime, parseTime } from './microtime.ts';

test('MicroTime has exactly six fractional digits', () => {
  assert.equal(formatMicroTime(new Date('2024-05-01T12:00:00.278Z')), '2024-05-01T12:00:00.278000Z');
  assert.equal(formatMicroTime(Date.UTC(2024, 0, 2, 3, 4, 5, 0)), '2024-01-02T03:04:05.000000Z');
  assert.match(formatMicroTime(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
});

test('fractional milliseconds become microseconds', () => {
  assert.equal(formatMicroTime(Date.UTC(2024, 0, 1) + 12.3456), '2024-01-01T00:00:00.012346Z');
  assert.equal(formatMicroTime(Date.UTC(2024, 0, 1) + 999.999), '2024-01-01T00:00:00.999999Z');
  assert.equal(formatMicroTime(Date.UTC(2024, 0, 1) + 999.9999), '2024-01-01T00:00:01.000000Z');
});

test('Time is whole seconds', () => {
  assert.equal(formatTime(new Date('2024-05-01T12:00:00.999Z')), '2024-05-01T12:00:00Z');
});

test('invalid times are rejected', () => {
  assert.throws(() => formatMicroTime(Number.NaN), RangeError);
  assert.throws(() => formatTime(new Date('nope')), RangeError);
});

test('parseTime reads Time, MicroTime and offsets', () => {
  const base = Date.UTC(2024, 4, 1, 12);
  assert.equal(parseTime('2024-05-01T12:00:00Z'), base);
  assert.ok(Math.abs(parseTime('2024-05-01T12:00:00.123456Z')! - (base + 123.456)) < 1e-6);
  assert.equal(parseTime('2024-05-01T14:00:00+02:00'), base);
  assert.equal(parseTime(formatMicroTime(base + 5)), base + 5);
  assert.equal(parseTime('yesterday'), undefined);
  assert.equal(parseTime(undefined), undefined);
});
