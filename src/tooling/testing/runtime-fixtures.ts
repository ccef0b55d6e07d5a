/**
 * @module testing/runtime-fixtures
 * Small pieces the runtime tests share: webhook configurations pointing at a test controller, a serving
 * certificate in a cert directory (cert-manager mode), the certificate a server presents, and waiting
 * for a LeaderWorkerSet to be Available with all its groups ready.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, type PeerCertificate } from 'node:tls';
import assert from 'node:assert/strict';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import { applyObject } from '../../k8s/client/apply.ts';
import type { KubeClient } from '../../k8s/client/client.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';
import { mutatingWebhookConfiguration, validatingWebhookConfiguration } from '../../lws/manifests/webhooks.ts';
import { createCA, issueCertificate, type KeyPair } from '../../k8s/pki/pki.ts';
import { eventually } from './wait.ts';

/** Registers upstream's two webhook configurations with a URL client config (and a caBundle, if given). */
export async function registerWebhooks(client: KubeClient, url: string, caBundlePem?: string): Promise<void> {
  for (const config of [
    mutatingWebhookConfiguration({ target: { url }, caBundlePem }),
    validatingWebhookConfiguration({ target: { url }, caBundlePem }),
  ]) {
    await applyObject(client, config);
  }
}

/** A CA and a serving certificate for 127.0.0.1 written as tls.crt/tls.key into `dir`. */
export async function writeServingCertificate(dir: string, ca?: KeyPair): Promise<{ ca: KeyPair; serving: KeyPair }> {
  const authority = ca ?? (await createCA('lws-test-webhook-ca'));
  const serving = await issueCertificate(authority, {
    commonName: '127.0.0.1',
    hosts: ['127.0.0.1', 'localhost'],
    usage: 'server',
  });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tls.crt'), serving.certPem);
  await writeFile(join(dir, 'tls.key'), serving.keyPem);
  return { ca: authority, serving };
}

/** The certificate a TLS server on 127.0.0.1:`port` presents (not verified). */
export function servedCertificate(port: number): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'localhost' }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('TLS handshake timed out')));
    socket.on('error', reject);
  });
}

/** Waits until the LWS reports Available with `groups` ready groups. */
export async function waitAvailable(
  client: KubeClient,
  namespace: string,
  name: string,
  groups: number,
  timeoutMs = 120_000,
): Promise<LeaderWorkerSet> {
  return eventually(
    async () => {
      const lws = await client.get<LeaderWorkerSet>(LEADERWORKERSETS, { namespace, name });
      const available = lws.status?.conditions?.find((c) => c.type === 'Available');
      assert.equal(available?.status, 'True', `${name} Available`);
      assert.equal(lws.status?.readyReplicas, groups, `${name} ready groups`);
      assert.equal(lws.status?.replicas, groups, `${name} groups`);
      return lws;
    },
    { timeoutMs, intervalMs: 500, message: `LeaderWorkerSet ${namespace}/${name} Available with ${groups} groups` },
  );
}
