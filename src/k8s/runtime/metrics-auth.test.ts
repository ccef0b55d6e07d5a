import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../client/client.ts';
import { bearerToken, kubeMetricsFilter } from './metrics-auth.ts';

/** Answers TokenReviews from a token table and SubjectAccessReviews from an allow list; counts calls. */
function fakeApiserver(users: Record<string, string>, allowed: string[]) {
  const calls: string[] = [];
  const client = {
    async request(_method: string, path: string, body: any) {
      calls.push(path.split('/').pop()!);
      if (path.endsWith('tokenreviews')) {
        const username = users[body.spec.token];
        if (username === 'explode') throw Object.assign(new Error('boom'), { code: 400 });
        return {
          status: username ? { authenticated: true, user: { username, groups: ['g'] } } : { authenticated: false },
        };
      }
      assert.deepEqual(body.spec.nonResourceAttributes, { path: '/metrics', verb: 'get' });
      return { status: { allowed: allowed.includes(body.spec.user) } };
    },
  };
  return { client: client as unknown as KubeClient, calls };
}

const request = (authorization?: string) => ({ authorization, method: 'GET', path: '/metrics' });

test('bearer tokens are read like Go does', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer abc'), 'abc');
  assert.equal(bearerToken('Basic abc'), undefined);
  assert.equal(bearerToken('Bearer '), undefined);
  assert.equal(bearerToken(undefined), undefined);
});

test("401 / 403 / allow with controller-runtime's texts, and cached decisions", async () => {
  const api = fakeApiserver({ good: 'scraper', bad: 'nobody', broken: 'explode' }, ['scraper']);
  const filter = kubeMetricsFilter(api.client);
  assert.deepEqual(await filter(request()), { allowed: false, code: 401, message: 'Unauthorized' });
  assert.deepEqual(await filter(request('Bearer unknown')), { allowed: false, code: 401, message: 'Unauthorized' });
  assert.deepEqual(await filter(request('Bearer bad')), {
    allowed: false,
    code: 403,
    message: 'Authorization denied for user nobody',
  });
  const ok = await filter(request('Bearer good'));
  assert.equal(ok.allowed, true);
  const before = api.calls.length;
  await filter(request('Bearer good'));
  assert.equal(api.calls.length, before, 'token and decision are cached');
  assert.deepEqual(await filter(request('Bearer broken')), {
    allowed: false,
    code: 500,
    message: 'Authentication failed',
  });
});
