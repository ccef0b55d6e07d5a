/**
 * @module version
 * What `lwsctl controller --version` prints and the user agent carries, like upstream's pkg/version.
 * The commit comes from LWS_GIT_COMMIT (set by image builds), else from the checkout's .git, else "unknown".
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../package.json' with { type: 'json' };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function commitFromCheckout(): string | undefined {
  try {
    const head = readFileSync(join(root, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    try {
      return readFileSync(join(root, '.git', ref), 'utf8').trim();
    } catch {
      const packed = readFileSync(join(root, '.git', 'packed-refs'), 'utf8');
      return packed
        .split('\n')
        .find((l) => l.endsWith(` ${ref}`))
        ?.split(' ')[0];
    }
  } catch {
    return undefined;
  }
}

export const GIT_VERSION = `v${pkg.version}`;
export const GIT_COMMIT = process.env.LWS_GIT_COMMIT || commitFromCheckout() || 'unknown';
export const BUILD_DATE = process.env.LWS_BUILD_DATE || 'unknown';

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386' };

/** Upstream's format with our name: `lws-ts/<version> (<os>/<arch>) <commit[:7]>`. */
export function controllerUserAgent(): string {
  const arch = GO_ARCH[process.arch] ?? process.arch;
  return `lws-ts/${GIT_VERSION} (${process.platform}/${arch}) ${GIT_COMMIT.slice(0, 7)}`;
}
