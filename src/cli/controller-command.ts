/**
 * @module cli/controller-command
 * `lwsctl controller`: the production entry point, a drop-in for upstream's `/manager` binary — same flags,
 * same Configuration file, same exit codes (2 for a bad command line, 1 when the configuration cannot be
 * loaded or the manager fails), logs as JSON lines on stderr like zap.
 */
import { pino } from 'pino';
import { CONTROLLER_FLAGS } from '../lws/config/controller-flags.ts';
import { ConfigurationError, FlagError } from '../k8s/go/errors.ts';
import { flagUsage } from '../k8s/go/flags.ts';
import { loadControllerCommand, processEnvironment } from '../lws/config/options.ts';
import { runControllerManager } from '../lws/cmd/controller-manager.ts';
import { createLogger } from '../k8s/runtime/log.ts';
import { shutdownSignal } from './shutdown.ts';
import { BUILD_DATE, GIT_COMMIT, GIT_VERSION } from '../version.ts';

const USAGE = `Usage of lwsctl controller:\n${flagUsage(CONTROLLER_FLAGS)}`;

export async function controllerCommand(argv: string[]): Promise<number> {
  if (argv.some((a) => ['-h', '-help', '--help', '--h'].includes(a))) {
    process.stderr.write(USAGE);
    return 0;
  }
  const stderr = pino.destination({ fd: 2, sync: true });
  let command;
  try {
    command = await loadControllerCommand(argv, processEnvironment);
  } catch (e) {
    if (e instanceof FlagError) {
      process.stderr.write(`${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof ConfigurationError) {
      createLogger({ level: 'info', destination: stderr })
        .child({ logger: 'setup' })
        .error({ error: e.message }, 'unable to load the configuration');
      return 1;
    }
    throw e;
  }
  if (command.kind === 'version') {
    process.stdout.write(`Version: ${GIT_VERSION}\nBuild Date: ${BUILD_DATE}\nGit Commit: ${GIT_COMMIT}\n`);
    return 0;
  }
  const log = createLogger({ level: command.options.logLevel, destination: stderr });
  const signal = shutdownSignal(log);
  try {
    await runControllerManager(command.options, log, signal);
  } catch (e) {
    log.error({ err: e }, 'problem running manager');
    return 1;
  }
  log.info('Stopped');
  return 0;
}
