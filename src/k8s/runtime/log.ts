/**
 * @module runtime/log
 * JSON logging through pino, with child loggers keyed like controller-runtime's logr context
 * (controller, namespace, name, reconcileID) so log queries carry over.
 */
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';
export type LogLevel = LevelWithSilent;

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggerOptions {
  level?: LogLevel;
  /** Logged as `logger` on every line (e.g. "lws-controller"). */
  name?: string;
  /** Where lines go; default stdout (synchronously, so nothing is lost on exit). */
  destination?: DestinationStream;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.name ? { logger: options.name } : null,
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"info" instead of a number: readable without pino-pretty, like klog's JSON format.
      formatters: { level: (label) => ({ level: label }) },
      errorKey: 'err',
    },
    options.destination ?? pino.destination({ sync: true }),
  );
}

/** A logger that drops everything (tests, optional dependencies). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export function controllerLogger(base: Logger, controller: string): Logger {
  return base.child({ controller });
}

export function objectLogger(base: Logger, object: { namespace?: string; name?: string }): Logger {
  return base.child(object.namespace ? { namespace: object.namespace, name: object.name } : { name: object.name });
}
