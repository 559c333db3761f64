/** How much the receiver says, from least to most. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** The log levels in order, for validating a `--log-level` value. */
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/**
 * Where the receiver's diagnostics go. An interface so that the CLI, tests and embedding
 * applications each decide where lines end up without the server knowing.
 */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** True when `level` is written; lets callers skip building costly debug lines. */
  enabled(level: LogLevel): boolean;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /**
   * The most verbose level written.
   * @default 'info'
   */
  level?: LogLevel;
  /**
   * Receives each finished line (no trailing newline).
   * @default writes to process.stderr, because stdout is kept for the listening line and summaries
   */
  write?: (line: string) => void;
  /**
   * Clock for the timestamp prefix.
   * @default Date.now
   */
  now?: () => number;
}

/**
 * A line logger with a level threshold: `<ISO time> <level> <message>`. Diagnostics go to
 * stderr by default so that stdout stays machine-readable.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const enabled = (level: LogLevel): boolean => LOG_LEVELS.indexOf(level) <= threshold;
  const log = (level: LogLevel, message: string): void => {
    if (enabled(level)) write(`${new Date(now()).toISOString()} ${level} ${message}`);
  };
  return {
    error: (message) => log('error', message),
    warn: (message) => log('warn', message),
    info: (message) => log('info', message),
    debug: (message) => log('debug', message),
    enabled,
  };
}
