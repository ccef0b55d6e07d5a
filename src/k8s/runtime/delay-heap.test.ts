import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayHeap } from './delay-heap.ts';

test('pops ready items earliest first, FIFO among equal times', () => {
  const h = new DelayHeap<string>();
  h.push('c', 30);
  h.push('a', 10);
  h.push('b1', 20);
  h.push('b2', 20);
  assert.equal(h.peekTime(), 10);
  assert.deepEqual(h.popReady(5), []);
  assert.deepEqual(h.popReady(20), ['a', 'b1', 'b2']);
  assert.equal(h.size, 1);
  assert.deepEqual(h.popReady(100), ['c']);
  assert.equal(h.peekTime(), undefined);
});

test('one entry per item; re-pushing only moves it earlier', () => {
  const h = new DelayHeap<string>();
  h.push('x', 50);
  h.push('x', 80);
  assert.equal(h.size, 1);
  assert.equal(h.peekTime(), 50);
  h.push('y', 40);
  h.push('x', 10);
  assert.deepEqual(h.popReady(100), ['x', 'y']);
});

test('random workload comes out sorted', () => {
  const h = new DelayHeap<number>();
  const times = new Map<number, number>();
  for (let i = 0; i < 500; i++) {
    const t = Math.floor(Math.random() * 1000);
    h.push(i, t);
    times.set(i, Math.min(times.get(i) ?? Infinity, t));
  }
  for (let i = 0; i < 200; i++) {
    const item = Math.floor(Math.random() * 500);
    const t = Math.floor(Math.random() * 1000);
    h.push(item, t);
    times.set(item, Math.min(times.get(item)!, t));
  }
  const out = h.popReady(Infinity);
  assert.equal(out.length, 500);
  for (let i = 1; i < out.length; i++) assert.ok(times.get(out[i - 1]!)! <= times.get(out[i]!)!);
});
