/**
 * @module cli/shutdown
 * SIGINT/SIGTERM → one abort signal for a long-running command (the first signal counts; logged once).
 */
import type { Logger } from 'pino';

export function shutdownSignal(log: Logger): AbortSignal {
  const shutdown = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.signal.aborted) return;
    log.info({ signal }, 'Shutting down');
    shutdown.abort(new Error(`received ${signal}`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return shutdown.signal;
}
