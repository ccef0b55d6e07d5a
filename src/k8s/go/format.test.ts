import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdmissionError } from '../admission/errors.ts';
import { atoi, goJson, goJsonString, goQuote } from './format.ts';

// Expected values printed by Go 1.26 (`%q` and json.Marshal).
const strings: [string, string, string][] = [
  ['plain', '"plain"', '"plain"'],
  ['a"b\\c', '"a\\"b\\\\c"', '"a\\"b\\\\c"'],
  ['tab\tnl\n', '"tab\\tnl\\n"', '"tab\\tnl\\n"'],
  ['bell\x07\x00\x7f', '"bell\\a\\x00\\x7f"', '"bell\\u0007\\u0000\x7f"'],
  ['nbsp\u00a0é', '"nbsp\\u00a0é"', '"nbsp\u00a0é"'],
  ['emoji😀', '"emoji😀"', '"emoji😀"'],
  ['zw\u200b', '"zw\\u200b"', '"zw\u200b"'],
  ['<&>', '"<&>"', '"\\u003c\\u0026\\u003e"'],
  ['\u2028', '"\\u2028"', '"\\u2028"'],
  ['\u{e0001}', '"\\U000e0001"', '"\u{e0001}"'],
];

for (const [input, quoted, json] of strings) {
  test(`goQuote / goJsonString: ${JSON.stringify(input)}`, () => {
    assert.equal(goQuote(input), quoted);
    assert.equal(goJsonString(input), json);
  });
}

test('goJson renders scalars, null and sorted maps like json.Marshal', () => {
  assert.equal(goJson(undefined), 'null');
  assert.equal(goJson(null), 'null');
  assert.equal(goJson(-1), '-1');
  assert.equal(goJson('25%'), '"25%"');
  assert.equal(goJson({ b: [1, 'x'], a: true }), '{"a":true,"b":[1,"x"]}');
});

const atoiCases: [string, number | string][] = [
  ['12', 12],
  ['+7', 7],
  ['-0', 0],
  // int64 bounds, as close as a JS number gets.
  ['9223372036854775807', Number(2n ** 63n - 1n)],
  ['-9223372036854775808', Number(-(2n ** 63n))],
  ['', 'strconv.Atoi: parsing "": invalid syntax'],
  ['-', 'strconv.Atoi: parsing "-": invalid syntax'],
  ['1_0', 'strconv.Atoi: parsing "1_0": invalid syntax'],
  [' 1', 'strconv.Atoi: parsing " 1": invalid syntax'],
  ['0x10', 'strconv.Atoi: parsing "0x10": invalid syntax'],
  ['9223372036854775808', 'strconv.Atoi: parsing "9223372036854775808": value out of range'],
  ['-9223372036854775809', 'strconv.Atoi: parsing "-9223372036854775809": value out of range'],
  // Overflow is reported at the first digit that overflows uint64, before later characters are seen.
  ['99999999999999999999x', 'strconv.Atoi: parsing "99999999999999999999x": value out of range'],
  ['9999999999999999999x', 'strconv.Atoi: parsing "9999999999999999999x": invalid syntax'],
];

for (const [input, expected] of atoiCases) {
  test(`atoi(${JSON.stringify(input)})`, () => {
    if (typeof expected === 'number') assert.equal(atoi(input), expected);
    else assert.throws(() => atoi(input), new AdmissionError(expected));
  });
}
