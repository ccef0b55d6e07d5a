/**
 * @module conformance/main
 * `npm run conformance [-- flags]`: upstream's e2e suite against this controller (see run.ts).
 *
 *   --skip-if-unavailable   exit 0 with a message when the suite can be neither found nor built here
 *                           (no cached binary and no Go toolchain or no sigs.k8s.io/lws v0.10.0 module): for CI
 *   --build-only            build (or find) the three suite binaries and upstream's manager and print their paths
 *   --rebuild               build even if a binary is cached
 *   --focus REGEX           run only the cases whose name matches (the others are listed as skipped)
 *   --cluster NAME          the local cluster to bring up (default lws-conformance, or $LWS_CONFORMANCE_CLUSTER)
 */
import { parseArgs } from 'node:util';
import { ClusterError } from '../cluster/errors.ts';
import { ConformanceError, ensureSuiteBinary } from './build.ts';
import { DEFAULT_CONFORMANCE_CLUSTER, runConformance } from './run.ts';
import { prepareExtraPackages } from './upgrade.ts';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'skip-if-unavailable': { type: 'boolean', default: false },
      'build-only': { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      focus: { type: 'string' },
      cluster: { type: 'string', default: process.env.LWS_CONFORMANCE_CLUSTER || DEFAULT_CONFORMANCE_CLUSTER },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run conformance -- [--skip-if-unavailable] [--build-only] [--rebuild] [--focus REGEX] [--cluster NAME]\n',
    );
    return 0;
  }
  const log = (l: string) => process.stderr.write(`conformance: ${l}\n`);
  try {
    if (values['build-only']) {
      const { path } = await ensureSuiteBinary({ log, force: values.rebuild });
      // The DisaggregatedSet and upgrade packages and upstream's manager too (one path a line).
      const extra = await prepareExtraPackages(values.rebuild, log);
      const paths = [path, extra.ds, extra.upgrade, ...(extra.upstreamManager ? [extra.upstreamManager] : [])];
      process.stdout.write(`${paths.join('\n')}\n`);
      return 0;
    }
    const outcome = await runConformance({
      cluster: values.cluster,
      focus: values.focus,
      rebuild: values.rebuild,
      log,
    });
    return outcome.failed > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof ConformanceError && e.unavailable && values['skip-if-unavailable']) {
      console.error(`conformance: SKIPPED (suite unavailable on this machine): ${e.message}\nhint: ${e.hint}`);
      return 0;
    }
    if (e instanceof ConformanceError || e instanceof ClusterError) {
      console.error(`conformance: ${e.message}\nhint: ${e.hint}`);
      return 1;
    }
    console.error(`conformance: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
