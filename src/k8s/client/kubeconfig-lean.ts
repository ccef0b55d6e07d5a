/**
 * @module k8s/client/kubeconfig-lean
 * The kubeconfig for long-running controllers without loading @kubernetes/client-node: its KubeConfig
 * class pulls in the whole generated API (≈850 modules, ≈80 MiB of RSS that a controller keeps for its
 * whole life). The common cases are read here: a kubeconfig file (or $KUBECONFIG naming one file, or
 * ~/.kube/config) whose current context uses a client certificate, a bearer token or token file, or basic
 * auth, and the in-cluster service account. Anything else (exec plugins, auth providers, proxies,
 * impersonation, merged $KUBECONFIG lists) falls back to client-node's loader (`loadKubeConfig`), loaded
 * on demand, so behaviour is the same; precedence is controller-runtime's as there.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../go/errors.ts';
import type { KubeConfigSource } from './connection.ts';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface NamedCluster {
  name: string;
  cluster?: Record<string, unknown>;
}
interface NamedUser {
  name: string;
  user?: Record<string, unknown>;
}
interface NamedContext {
  name: string;
  context?: { cluster?: string; user?: string };
}
interface KubeconfigFile {
  clusters?: NamedCluster[];
  users?: NamedUser[];
  contexts?: NamedContext[];
  'current-context'?: string;
}

/** What the lean loader understands of a cluster and a user. */
export interface LeanCluster {
  server: string;
  ca?: Buffer;
  insecureSkipTLSVerify?: boolean;
  tlsServerName?: string;
}
export interface LeanUser {
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
}

const USER_KEYS = new Set([
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
  'username',
  'password',
]);
const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'extensions',
]);

export class LeanKubeConfig implements KubeConfigSource {
  readonly cluster: LeanCluster;
  readonly user: LeanUser;

  constructor(cluster: LeanCluster, user: LeanUser) {
    this.cluster = cluster;
    this.user = user;
  }

  getCurrentCluster(): { server: string; proxyUrl?: string } {
    return { server: this.cluster.server };
  }

  async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    if (this.cluster.ca) options.ca = this.cluster.ca;
    if (this.cluster.insecureSkipTLSVerify) options.rejectUnauthorized = false;
    if (this.cluster.tlsServerName) options.servername = this.cluster.tlsServerName;
    if (this.user.cert) options.cert = this.user.cert;
    if (this.user.key) options.key = this.user.key;
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    // A token file is read again on every refresh: projected service-account tokens rotate.
    const token = this.user.tokenFile ? readFileSync(this.user.tokenFile, 'utf8').trim() : this.user.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (this.user.username !== undefined) {
      options.auth = `${this.user.username}:${this.user.password ?? ''}`;
    }
    options.headers = headers;
  }
}

/**
 * The current context of a parsed kubeconfig as a LeanKubeConfig, or undefined when it uses something
 * only client-node's loader handles. Relative file paths are relative to the kubeconfig's directory.
 */
export function leanFromKubeconfig(doc: KubeconfigFile, dir: string): LeanKubeConfig | undefined {
  const contextName = doc['current-context'];
  const context = doc.contexts?.find((c) => c.name === contextName)?.context;
  if (!context?.cluster) return undefined;
  const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster;
  const user = context.user ? (doc.users?.find((u) => u.name === context.user)?.user ?? {}) : {};
  if (!cluster || typeof cluster.server !== 'string') return undefined;
  if (Object.keys(cluster).some((k) => !CLUSTER_KEYS.has(k))) return undefined;
  if (Object.keys(user).some((k) => !USER_KEYS.has(k))) return undefined;
  const file = (key: string) => {
    const v = user[key] ?? cluster[key];
    return typeof v === 'string' && v ? readFileSync(isAbsolute(v) ? v : join(dir, v)) : undefined;
  };
  const data = (source: Record<string, unknown>, key: string) => {
    const v = source[key];
    return typeof v === 'string' && v ? Buffer.from(v, 'base64') : undefined;
  };
  const str = (key: string) => (typeof user[key] === 'string' ? (user[key] as string) : undefined);
  const tokenFile = str('tokenFile');
  return new LeanKubeConfig(
    {
      server: cluster.server,
      ca: data(cluster, 'certificate-authority-data') ?? file('certificate-authority'),
      insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
      tlsServerName: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    },
    {
      cert: data(user, 'client-certificate-data') ?? file('client-certificate'),
      key: data(user, 'client-key-data') ?? file('client-key'),
      token: str('token'),
      tokenFile: tokenFile && !isAbsolute(tokenFile) ? join(dir, tokenFile) : tokenFile,
      username: str('username'),
      password: str('password'),
    },
  );
}

/** The in-cluster service account, as client-go's InClusterConfig. */
export function leanInCluster(env: NodeJS.ProcessEnv): LeanKubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const caFile = join(SA_DIR, 'ca.crt');
  return new LeanKubeConfig(
    { server, ca: existsSync(caFile) ? readFileSync(caFile) : undefined },
    { tokenFile: join(SA_DIR, 'token') },
  );
}

/**
 * controller-runtime's precedence (an explicit path, else $KUBECONFIG, else the in-cluster service
 * account, else ~/.kube/config), without client-node where the configuration allows.
 */
export async function loadKubeConfigLean(
  kubeconfig: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KubeConfigSource> {
  let path: string | undefined;
  if (kubeconfig) {
    if (!existsSync(kubeconfig)) throw new UsageError(`--kubeconfig: no such file ${kubeconfig}`);
    path = kubeconfig;
  } else if (env.KUBECONFIG) {
    path = env.KUBECONFIG.includes(':') ? undefined : env.KUBECONFIG; // a merged list: client-node
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(join(SA_DIR, 'token'))) {
    return leanInCluster(env);
  } else {
    path = join(homedir(), '.kube', 'config');
  }
  if (path && existsSync(path)) {
    try {
      const lean = leanFromKubeconfig(parse(readFileSync(path, 'utf8')) as KubeconfigFile, dirname(path));
      if (lean) return lean;
    } catch {
      // client-node's loader reports the problem in its own words
    }
  }
  const { loadKubeConfig } = await import('./kubeconfig.ts');
  return loadKubeConfig(kubeconfig, env);
}
