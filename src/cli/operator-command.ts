/**
 * @module cli/operator-command
 * `lwsctl operator`: the Leader Worker Set Operator (flags in operator/operator-options.ts). Logs JSON lines on
 * stderr; exits 2 for a bad command line, 1 when the operator fails, 0 after SIGTERM/SIGINT.
 */
import { pino } from 'pino';
import { runOperator } from '../operator/cmd/operator-manager.ts';
import { OPERATOR_USAGE, parseOperatorOptions } from '../operator/cmd/options.ts';
import { createLogger } from '../k8s/runtime/log.ts';
import { shutdownSignal } from './shutdown.ts';

export async function operatorCommand(argv: string[]): Promise<number> {
  if (argv.some((a) => ['-h', '--help', 'help'].includes(a))) {
    process.stdout.write(OPERATOR_USAGE);
    return 0;
  }
  const options = parseOperatorOptions(argv);
  const stderr = pino.destination({ fd: 2, sync: true });
  const log = createLogger({ level: (options.fixedLogLevel ?? 'info') as 'info', destination: stderr });
  const signal = shutdownSignal(log);
  try {
    await runOperator(options, log, signal);
  } catch (e) {
    log.error({ err: e }, 'operator failed');
    return 1;
  }
  log.info('Stopped');
  return 0;
}
