/**
 * @module k8s/go/bind-address
 * Go `net.Listen` addresses as controller-runtime's bind-address flags take them.
 */

const q = (s: string) => JSON.stringify(s);

export interface BindAddress {
  /** undefined: every interface. */
  host?: string;
  port: number;
}

/** Go `net.Listen` address ("host:port", ":port", "[::1]:port"); undefined when the text is not one. */
export function parseBindAddress(text: string): BindAddress | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  const host = m[1] ?? m[2];
  return host ? { host, port } : { port };
}

/** "0" (and for probes "") disables a server; otherwise the address must parse. */
export function checkBindAddress(field: string, value: string, disabledBy: readonly string[]): string | undefined {
  if (disabledBy.includes(value) || parseBindAddress(value)) return undefined;
  return `${field}: Invalid value: ${q(value)}: must be "0" (disabled) or an address such as ":8443" or "127.0.0.1:8443"`;
}
