/**
 * @module k8s/pki/x509
 * The X.509 library set up once (@peculiar/x509 on Node's WebCrypto) and what every certificate maker shares:
 * the PEM key pair and random positive serial numbers.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

export { x509 };

/** A certificate with its private key, both PEM encoded. */
export interface KeyPair {
  certPem: string;
  keyPem: string;
}

/** A positive 128-bit serial number in hex (a leading nibble < 8 keeps the DER integer positive). */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
