/**
 * @module certs/webhook-pki
 * The webhook CA and serving certificate exactly as upstream's cert-controller rotator makes and judges
 * them, so lws-ts and upstream replicas can share the Secret: an RSA 2048 CA key in PKCS#1 PEM ("RSA PRIVATE
 * KEY", which upstream's parser requires), CA "CN=lws-ca, O=lws" with DNS name lws-ca, serving certificate
 * (an ECDSA P-256 key, see `ecdsa`)
 * for `<service>.<namespace>.svc` with serverAuth, both valid from one hour ago.
 */
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { x509, randomSerial, type KeyPair } from './x509.ts';

export const CA_NAME = 'lws-ca';
export const CA_ORGANIZATION = 'lws';
export const CA_VALIDITY_MS = 10 * 365 * 24 * 3_600_000;
/** cert-controller's default lookahead: renew once less than this remains. */
export const MAX_LOOKAHEAD_MS = 90 * 24 * 3_600_000;
const BACKDATE_MS = 3_600_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

const rsa = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

/**
 * The serving key: ECDSA P-256, not cert-controller's RSA 2048. Every new TLS connection costs the server one
 * signature, and an RSA 2048 signature costs ~20× an ECDSA P-256 one; when the apiserver opens hundreds of
 * webhook connections a second (calls beyond its idle pool of 25 per host), RSA handshakes alone fill the
 * controller's thread. Upstream's rotator accepts such a Secret unchanged: it parses only the CA key as
 * PKCS#1 and checks the serving pair with Go's `tls.X509KeyPair`, which reads SEC1 EC keys.
 */
const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' };

/** The PEM pair of cert-controller's Secret (tls.crt / tls.key). */
export type PemPair = KeyPair;

async function newKeys(algorithm: typeof rsa | typeof ecdsa): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
}

/**
 * The private key as PEM: PKCS#1 ("RSA PRIVATE KEY") for the CA, which upstream's parser requires; SEC1 ("EC
 * PRIVATE KEY") for the serving key, which Go's tls.X509KeyPair and Node both read.
 */
async function privateKeyPem(key: webcrypto.CryptoKey, type: 'pkcs1' | 'sec1'): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type, format: 'pem' }) as string;
}

async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, rsa, false, ['sign']);
}

const serial = randomSerial;

/** A new self-signed CA as cert-controller's CreateCACert makes it. */
export async function createWebhookCA(now = Date.now()): Promise<PemPair> {
  const keys = await newKeys(rsa);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${CA_NAME}, O=${CA_ORGANIZATION}`,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + CA_VALIDITY_MS),
    signingAlgorithm: rsa,
    keys: keys as never,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: CA_NAME }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey, 'pkcs1') };
}

/** A serving certificate for `dnsName` (plus `extraSans`) signed by `ca`, as CreateCertPEM makes it. */
export async function createServingCertificate(
  ca: PemPair,
  dnsName: string,
  extraSans: readonly string[],
  validityMs: number,
  now = Date.now(),
): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await newKeys(ecdsa);
  const names = [dnsName, ...extraSans.filter((s) => s !== dnsName)];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${dnsName}`,
    issuer: caCert.subject,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + validityMs),
    signingAlgorithm: rsa,
    publicKey: keys.publicKey as never,
    signingKey: (await importSigningKey(ca.keyPem)) as never,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      // An EC key signs (ECDHE); it never enciphers a key, so only digitalSignature (RFC 5480).
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      new x509.SubjectAlternativeNameExtension(
        names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n })),
      ),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey, 'sec1') };
}

/**
 * cert-controller's ValidCert: the key matches the certificate, the certificate chains to `caPem`, names
 * `host` (and every extra SAN), is usable for serverAuth when asked, and is still valid at `at`.
 * Returns why not, or undefined when valid.
 */
export function certificateProblem(
  caPem: string | undefined,
  certPem: string | undefined,
  keyPem: string | undefined,
  host: string,
  options: { at: number; serverAuth: boolean; extraSans?: readonly string[] },
): string | undefined {
  if (!caPem || !certPem || !keyPem) return 'empty cert';
  let ca: X509Certificate;
  let cert: X509Certificate;
  try {
    ca = new X509Certificate(caPem);
    cert = new X509Certificate(certPem);
  } catch (e) {
    return `parsing cert: ${(e as Error).message}`;
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return 'the key does not match the certificate';
  } catch (e) {
    return `building key pair: ${(e as Error).message}`;
  }
  if (!ca.ca) return 'the CA certificate is not a CA';
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'not signed by the CA';
  for (const name of [host, ...(options.extraSans ?? [])]) {
    const ok = isIP(name) ? cert.checkIP(name) : cert.checkHost(name, { wildcards: false });
    if (!ok) return `not valid for ${name}`;
  }
  if (options.serverAuth && !(cert.keyUsage ?? [SERVER_AUTH]).includes(SERVER_AUTH)) return 'not usable for serverAuth';
  for (const c of [cert, ca]) {
    if (Date.parse(c.validFrom) > options.at) return `not valid before ${c.validFrom}`;
    if (Date.parse(c.validTo) <= options.at) return `expires at ${c.validTo}`;
  }
  return undefined;
}

/** Expiry (ms) of a PEM certificate. */
export function notAfter(certPem: string): number {
  return Date.parse(new X509Certificate(certPem).validTo);
}
