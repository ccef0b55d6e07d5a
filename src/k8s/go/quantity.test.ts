import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canonicalQuantity, parseQuantity, quantityFromJSON, quantityString, QuantityParseError } from './quantity.ts';

interface Vector {
  in: string;
  out?: string;
  error?: boolean;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../test/golden/quantity-vectors.json', import.meta.url), 'utf8'),
) as Vector[];

const marshal = (v: unknown): string => quantityString(quantityFromJSON(v));

test('every golden vector prints what apimachinery prints', () => {
  assert.ok(vectors.length > 1000);
  const wrong: string[] = [];
  for (const v of vectors) {
    let got: string;
    try {
      got = marshal(v.in);
    } catch (err) {
      assert.ok(err instanceof QuantityParseError, String(err));
      if (!v.error) wrong.push(`${JSON.stringify(v.in)}: threw, Go printed ${v.out}`);
      continue;
    }
    if (v.error || got !== v.out) wrong.push(`${JSON.stringify(v.in)}: ${got}, Go: ${v.error ? 'error' : v.out}`);
  }
  assert.deepEqual(wrong, []);
});

test('canonical forms', () => {
  const cases: [unknown, string][] = [
    [0.5, '500m'],
    ['0.5', '500m'],
    ['1000m', '1'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['0.5Ki', '512'],
    ['2e3', '2e3'],
    ['1.5e3', '1500'],
    ['1500k', '1500k'],
    ['1500000', '1500k'],
    ['12.5M', '12500k'],
    ['0.0000000001', '1n'],
    ['-0.0000000001', '-1n'],
    ['8Ei', '9223372036854775807'],
    [null, '0'],
    [4, '4'],
  ];
  for (const [input, want] of cases) assert.equal(marshal(input), want, JSON.stringify(input));
});

test('Go keeps some inputs verbatim instead of canonicalising them', () => {
  for (const s of ['100m', '+1', '01', '5.', '1025Mi', '1E3', '-1Gi']) assert.equal(marshal(s), s);
  // ...but not the same value once it needs rewriting.
  assert.equal(canonicalQuantity(parseQuantity('+1')), '1');
});

test('quirks kept from upstream', () => {
  assert.equal(marshal('1000E'), '1', 'an exponent past the SI table loses its suffix');
  assert.equal(marshal('Ki'), '0', 'a bare suffix parses as zero');
  assert.equal(marshal(1e21), '1e+21', 'numbers arrive as Go printed them');
  assert.equal(marshal('\u00a02\u3000'), '2', 'strings.TrimSpace trims Unicode spaces');
});

test('rejected input', () => {
  for (const bad of ['', '1.2.3', 'abc', '1Ki1', '1e', '1K', '\t1', '1\ufeff', true, {}, []]) {
    assert.throws(() => quantityFromJSON(bad), QuantityParseError, JSON.stringify(bad));
  }
});
