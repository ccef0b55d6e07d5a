/**
 * @module config/tls
 * The `tls` section (upstream pkg/config/tls.go): Go's minVersion and cipher-suite names mapped to Node's TLS
 * options for the webhook and metrics servers. TLS 1.3 suites are not configurable (as in Go) and are left out.
 */

export interface TlsServerOptions {
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list for TLS ≤ 1.2; undefined keeps Node's defaults. */
  ciphers?: string;
}

// Go crypto/tls names (secure and insecure lists, as cliflag accepts them) → OpenSSL names.
const CIPHERS: Record<string, string | null> = {
  TLS_AES_128_GCM_SHA256: null,
  TLS_AES_256_GCM_SHA384: null,
  TLS_CHACHA20_POLY1305_SHA256: null,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 'DES-CBC3-SHA',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: 'ECDHE-RSA-DES-CBC3-SHA',
};

/** Upstream ParseTLSOptions: the problems (naming `tls.*`) or Node options. */
export function parseTlsOptions(tls: { minVersion?: string; cipherSuites?: string[] } | undefined): {
  options: TlsServerOptions;
  problems: string[];
} {
  const problems: string[] = [];
  const options: TlsServerOptions = { minVersion: 'TLSv1.2' };
  if (!tls) return { options, problems };
  const min = tls.minVersion ?? '';
  const suites = tls.cipherSuites ?? [];
  if (min === 'VersionTLS13' && suites.length > 0) {
    return { options, problems: ["tls: cipher suites may not be specified when minVersion is 'VersionTLS13'"] };
  }
  if (min === 'VersionTLS13') options.minVersion = 'TLSv1.3';
  else if (min === 'VersionTLS10' || min === 'VersionTLS11') {
    problems.push(
      `tls.minVersion: Invalid value: "${min}": invalid minVersion. Please use VersionTLS12 or VersionTLS13`,
    );
  } else if (min !== '' && min !== 'VersionTLS12') {
    problems.push(
      `tls.minVersion: Invalid value: "${min}": invalid minVersion: unknown tls version "${min}". Please use VersionTLS12 or VersionTLS13`,
    );
  }
  const openssl: string[] = [];
  suites.forEach((name, i) => {
    const mapped = CIPHERS[name];
    if (mapped === undefined) {
      problems.push(
        `tls.cipherSuites[${i}]: Invalid value: "${name}": Cipher suite ${name} not supported or doesn't exist`,
      );
    } else if (mapped !== null) openssl.push(mapped);
  });
  if (openssl.length > 0) options.ciphers = openssl.join(':');
  return { options, problems };
}
