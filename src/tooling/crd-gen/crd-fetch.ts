/**
 * @module api/crd-fetch
 * Reads the apiserver's OpenAPI v3 documents with a kubeconfig's credentials, for the CRD generator and the
 * test that checks the committed CRD is current. Supports what our local clusters write: the current
 * context's server, CA and client certificate (inline or as files), or a bearer token.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { OpenAPIDocument } from './crd-openapi.ts';
import { OPENAPI_PATHS } from '../../lws/api/crd.ts';

interface Kubeconfig {
  'current-context'?: string;
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
  clusters?: Array<{ name: string; cluster: Record<string, string | boolean | undefined> }>;
  users?: Array<{ name: string; user: Record<string, string | undefined> }>;
}

interface Connection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecure: boolean;
}

async function connectionFrom(path: string): Promise<Connection> {
  const config = parse(await readFile(path, 'utf8')) as Kubeconfig;
  const contextName = config['current-context'];
  const context = config.contexts?.find((c) => c.name === contextName)?.context;
  const cluster = config.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === context?.user)?.user ?? {};
  if (!context || !cluster || typeof cluster.server !== 'string') {
    throw new Error(`${path}: no usable current context (current-context "${contextName ?? ''}")`);
  }
  // Inline data wins over a file, as in kubectl; relative files are relative to the kubeconfig.
  const material = async (data: unknown, file: unknown): Promise<Buffer | undefined> => {
    if (typeof data === 'string') return Buffer.from(data, 'base64');
    if (typeof file === 'string') return readFile(resolve(dirname(path), file));
    return undefined;
  };
  return {
    server: cluster.server.replace(/\/+$/, ''),
    ca: await material(cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: await material(user['client-certificate-data'], user['client-certificate']),
    key: await material(user['client-key-data'], user['client-key']),
    token: user.token,
    insecure: cluster['insecure-skip-tls-verify'] === true,
  };
}

function getJson(conn: Connection, path: string): Promise<unknown> {
  const url = `${conn.server}/${path}`;
  return new Promise((resolvePromise, reject) => {
    const req = request(
      url,
      {
        ca: conn.ca,
        cert: conn.cert,
        key: conn.key,
        rejectUnauthorized: !conn.insecure,
        headers: { Accept: 'application/json', ...(conn.token ? { Authorization: `Bearer ${conn.token}` } : {}) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(new Error(`GET ${url}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
            return;
          }
          try {
            resolvePromise(JSON.parse(body));
          } catch (e) {
            reject(new Error(`GET ${url}: invalid JSON`, { cause: e }));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

/** Fetches /openapi/v3/<path> for every path of OPENAPI_PATHS, in that order. */
export async function fetchOpenAPIDocs(kubeconfigPath: string): Promise<OpenAPIDocument[]> {
  const conn = await connectionFrom(kubeconfigPath);
  return Promise.all(OPENAPI_PATHS.map((p) => getJson(conn, `openapi/v3/${p}`) as Promise<OpenAPIDocument>));
}
