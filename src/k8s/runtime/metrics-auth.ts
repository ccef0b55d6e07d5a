/**
 * @module runtime/metrics-auth
 * The authentication and authorization in front of /metrics, as controller-runtime's
 * `filters.WithAuthenticationAndAuthorization` does it: the bearer token is checked with a TokenReview,
 * the user it names with a SubjectAccessReview for the non-resource URL (path, lower-case verb). Answers
 * and their texts are controller-runtime's: 401 "Unauthorized", 403 "Authorization denied for user <name>",
 * 500 when the apiserver cannot be asked. Results are cached like its delegating authenticator (1 min)
 * and authorizer (allow 5 min, deny 30 s).
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../client/client.ts';
import { silentLogger } from './log.ts';

export interface UserInfo {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export type FilterDecision =
  { allowed: true; user: UserInfo } | { allowed: false; code: 401 | 403 | 500; message: string };

export interface RequestAttributes {
  /** The Authorization header, if any. */
  authorization: string | undefined;
  method: string;
  path: string;
}

export type MetricsFilter = (request: RequestAttributes) => Promise<FilterDecision>;

interface Cached<T> {
  value: T;
  expires: number;
}

const TOKEN_TTL_MS = 60_000;
const ALLOW_TTL_MS = 5 * 60_000;
const DENY_TTL_MS = 30_000;
const MAX_ENTRIES = 1024;

/** Go's bearer-token authenticator: "Bearer <token>", scheme case-insensitive, non-empty token. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const parts = header.split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  const token = parts[1]!.trim();
  return token === '' ? undefined : token;
}

export function kubeMetricsFilter(
  client: KubeClient,
  logger: Logger = silentLogger(),
  now = () => Date.now(),
): MetricsFilter {
  const tokens = new Map<string, Cached<UserInfo | undefined>>();
  const decisions = new Map<string, Cached<boolean>>();
  const log = logger.child({ filter: 'metrics-authn-authz' });

  const cached = <T>(cache: Map<string, Cached<T>>, key: string): Cached<T> | undefined => {
    const entry = cache.get(key);
    if (entry && entry.expires > now()) return entry;
    cache.delete(key);
    return undefined;
  };
  const remember = <T>(cache: Map<string, Cached<T>>, key: string, value: T, ttl: number) => {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, { value, expires: now() + ttl });
  };

  async function authenticate(token: string): Promise<UserInfo | undefined> {
    const hit = cached(tokens, token);
    if (hit) return hit.value;
    const review = await withRetries(() =>
      client.request<{ status?: { authenticated?: boolean; user?: UserInfo; error?: string } }>(
        'POST',
        '/apis/authentication.k8s.io/v1/tokenreviews',
        { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
      ),
    );
    const user = review?.status?.authenticated && review.status.user?.username ? review.status.user : undefined;
    remember(tokens, token, user, TOKEN_TTL_MS);
    return user;
  }

  async function authorize(user: UserInfo, verb: string, path: string): Promise<boolean> {
    const key = JSON.stringify([user.username, user.uid, user.groups, user.extra, verb, path]);
    const hit = cached(decisions, key);
    if (hit) return hit.value;
    const review = await withRetries(() =>
      client.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.username,
          uid: user.uid,
          groups: user.groups,
          extra: user.extra,
          nonResourceAttributes: { path, verb },
        },
      }),
    );
    const allowed = review?.status?.allowed === true;
    remember(decisions, key, allowed, allowed ? ALLOW_TTL_MS : DENY_TTL_MS);
    return allowed;
  }

  return async ({ authorization, method, path }) => {
    const token = bearerToken(authorization);
    let user: UserInfo | undefined;
    if (token) {
      try {
        user = await authenticate(token);
      } catch (e) {
        log.error({ err: e }, 'Authentication failed');
        return { allowed: false, code: 500, message: 'Authentication failed' };
      }
    }
    if (!user) return { allowed: false, code: 401, message: 'Unauthorized' };
    try {
      if (await authorize(user, method.toLowerCase(), path)) return { allowed: true, user };
    } catch (e) {
      const message = `Authorization for user ${user.username} failed`;
      log.error({ err: e }, message);
      return { allowed: false, code: 500, message };
    }
    log.debug({ user: user.username, path }, 'Authorization denied');
    return { allowed: false, code: 403, message: `Authorization denied for user ${user.username}` };
  };
}

/** The delegating clients' webhook backoff, shortened: a few tries for transient failures. */
async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  const delays = [500, 750];
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const retryable = typeof code !== 'number' || code >= 500 || code === 429;
      if (!retryable || attempt >= delays.length) throw e;
      await new Promise((r) => setTimeout(r, delays[attempt]));
    }
  }
}
