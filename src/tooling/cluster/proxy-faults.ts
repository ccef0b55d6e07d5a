/**
 * @module cluster/proxy-faults
 * Injected network faults of the local cluster's network proxy, for fault-injection tests (`npm run chaos`):
 * `<state dir>/faults.json` maps a Service port (`namespace/name:port`) to what happens to new connections to it:
 * `refuse` (the CONNECT is answered 502 "connection refused", as when nothing listens), `delay` (the dial waits
 * `delayMs`), `reset` (the tunnel is reset once the apiserver has sent `afterBytes`, i.e. mid-request). The proxy
 * re-reads the file for every connection and closes the tunnels of a Service whose fault changes. No file, no
 * faults.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type ProxyFault =
  { mode: 'refuse' } | { mode: 'delay'; delayMs: number } | { mode: 'reset'; afterBytes: number };

export const FAULTS_FILE = 'faults.json';

/** Service key → fault; empty when the file is missing or unreadable (faults are never on by accident). */
export async function readFaults(dir: string): Promise<ReadonlyMap<string, ProxyFault>> {
  let text: string;
  try {
    text = await readFile(join(dir, FAULTS_FILE), 'utf8');
  } catch {
    return new Map();
  }
  const parsed = JSON.parse(text) as Record<string, ProxyFault>;
  return new Map(Object.entries(parsed));
}

/** Sets (or with `undefined` clears) the fault of one Service key; written atomically. */
export async function setFault(dir: string, service: string, fault: ProxyFault | undefined): Promise<void> {
  const faults = new Map(await readFaults(dir));
  if (fault) faults.set(service, fault);
  else faults.delete(service);
  const file = join(dir, FAULTS_FILE);
  if (faults.size === 0) return void (await rm(file, { force: true }));
  await writeFile(`${file}.tmp`, JSON.stringify(Object.fromEntries(faults), null, 2));
  await rename(`${file}.tmp`, file);
}
