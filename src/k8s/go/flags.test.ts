import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagUsage, parseGoFlags, type FlagSpec } from './flags.ts';

const specs = {
  'leader-elect': { type: 'bool', default: true, usage: 'elect' } as FlagSpec<'bool'>,
  config: { type: 'string', default: '', usage: 'file' } as FlagSpec<'string'>,
  qps: { type: 'float', default: 500, usage: 'qps' } as FlagSpec<'float'>,
  burst: { type: 'int', default: 500, usage: 'burst' } as FlagSpec<'int'>,
  lease: { type: 'duration', default: 15_000, usage: 'lease' } as FlagSpec<'duration'>,
};

test('accepts -name, --name, =value and separate values; records what was set', () => {
  const { values, set, args } = parseGoFlags(
    ['-config', 'a.yaml', '--qps=20.5', '--burst', '0x10', '-lease=1m', '--leader-elect=false', 'rest', '--x'],
    specs,
  );
  assert.deepEqual(values, { 'leader-elect': false, config: 'a.yaml', qps: 20.5, burst: 16, lease: 60_000 });
  assert.deepEqual([...set].sort(), ['burst', 'config', 'leader-elect', 'lease', 'qps']);
  assert.deepEqual(args, ['rest', '--x']);
});

test('a bare boolean flag is true and does not take the next argument', () => {
  const { values, args } = parseGoFlags(['--leader-elect', 'false'], specs);
  assert.equal(values['leader-elect'], true);
  assert.deepEqual(args, ['false']);
});

test("errors use Go's flag package wording", () => {
  assert.throws(() => parseGoFlags(['--nope'], specs), { message: 'flag provided but not defined: -nope' });
  assert.throws(() => parseGoFlags(['--config'], specs), { message: 'flag needs an argument: -config' });
  assert.throws(() => parseGoFlags(['--burst=x'], specs), {
    message: 'invalid value "x" for flag -burst: parse error',
  });
  assert.throws(() => parseGoFlags(['--lease=15'], specs), {
    message: 'invalid value "15" for flag -lease: parse error',
  });
  assert.throws(() => parseGoFlags(['--leader-elect=maybe'], specs), {
    message: 'invalid value "maybe" for flag -leader-elect: parse error',
  });
});

test('usage lists defaults like flag.PrintDefaults', () => {
  const text = flagUsage(specs);
  assert.match(text, / {2}-lease duration\n {4}\tlease \(default 15s\)/);
  assert.match(text, / {2}-leader-elect\n {4}\telect \(default true\)/);
});
