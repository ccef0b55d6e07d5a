import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { controllerLogger, createLogger, isLogLevel, objectLogger } from './log.ts';

function capture() {
  const lines: any[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, destination };
}

test('JSON lines with string levels, ISO time and context from child loggers', () => {
  const { lines, destination } = capture();
  const log = createLogger({ level: 'debug', name: 'lws', destination });
  objectLogger(controllerLogger(log, 'leaderworkerset'), { namespace: 'ns', name: 'x' }).info({ n: 1 }, 'hello');
  log.trace('dropped');
  log.error({ err: new Error('bad') }, 'failed');
  assert.equal(lines.length, 2);
  assert.equal(lines[0].level, 'info');
  assert.equal(lines[0].logger, 'lws');
  assert.equal(lines[0].controller, 'leaderworkerset');
  assert.equal(lines[0].namespace, 'ns');
  assert.equal(lines[0].name, 'x');
  assert.equal(lines[0].msg, 'hello');
  assert.match(lines[0].time, /^\d{4}-\d\d-\d\dT/);
  assert.equal(lines[1].err.message, 'bad');
  assert.ok(isLogLevel('warn'));
  assert.ok(!isLogLevel('verbose'));
});
