import { parseArgs } from 'node:util';
import { INVALID_ARGUMENT } from '../../core/code.js';
import { OtlpError } from '../../core/otlp-error.js';
import { LOG_LEVELS, type LogLevel } from '../logger.js';

/** What the command line asked for, before any file is read. */
export interface CliArgs {
  host: string | undefined;
  port: number | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  clientCa: string | undefined;
  corsOrigins: string[];
  apiKey: string | undefined;
  bearerToken: string | undefined;
  maxMessageBytes: number | undefined;
  maxInflight: number | undefined;
  retryDelayMs: number | undefined;
  exportDelayMs: number | undefined;
  jsonl: string | undefined;
  maxStoredItems: number | undefined;
  maxStoredBytes: number | undefined;
  maxBufferedBytes: number | undefined;
  maxDecodedBytes: number | undefined;
  maxConnections: number | undefined;
  headersTimeoutMs: number | undefined;
  bodyTimeoutMs: number | undefined;
  idleTimeoutMs: number | undefined;
  compressResponses: boolean | undefined;
  summaryIntervalMs: number;
  shutdownGraceMs: number | undefined;
  logLevel: LogLevel;
}

const MAX_TIMER_MS = 2_147_483_647;

/** Integer flags and their allowed ranges. */
const INTEGER_FLAGS = {
  port: [0, 65535],
  'max-message-bytes': [1, 0xffffffff],
  'max-inflight': [0, Number.MAX_SAFE_INTEGER],
  'retry-delay-ms': [0, Number.MAX_SAFE_INTEGER],
  'export-delay-ms': [0, MAX_TIMER_MS],
  'max-stored-items': [1, Number.MAX_SAFE_INTEGER],
  'max-stored-bytes': [1, Number.MAX_SAFE_INTEGER],
  'max-buffered-bytes': [1, Number.MAX_SAFE_INTEGER],
  'max-decoded-bytes': [1, Number.MAX_SAFE_INTEGER],
  'max-connections': [1, Number.MAX_SAFE_INTEGER],
  'headers-timeout-ms': [1, MAX_TIMER_MS],
  'body-timeout-ms': [1, MAX_TIMER_MS],
  'idle-timeout-ms': [1, MAX_TIMER_MS],
  'summary-interval-ms': [0, MAX_TIMER_MS],
  'shutdown-grace-ms': [0, MAX_TIMER_MS],
} as const;

const STRING_FLAGS = [
  'host',
  'tls-cert',
  'tls-key',
  'client-ca',
  'api-key',
  'bearer-token',
  'jsonl',
  'log-level',
  'response-compression',
] as const;

/**
 * Parses `otlp-receiver` arguments (`--flag value` or `--flag=value`). Returns "help" for
 * --help. Throws OtlpError(INVALID_ARGUMENT) naming the offending flag for an unknown
 * flag, a missing or malformed value, or flags that need each other.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs | 'help' {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
  > = {
    help: { type: 'boolean', short: 'h' },
    'cors-origin': { type: 'string', multiple: true },
  };
  for (const name of [...STRING_FLAGS, ...Object.keys(INTEGER_FLAGS)])
    options[name] = { type: 'string' };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new OtlpError(describeParseError(e), INVALID_ARGUMENT);
  }
  if (values.help === true) return 'help';
  const str = (name: string) => values[name] as string | undefined;
  const int = (name: keyof typeof INTEGER_FLAGS): number | undefined => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    const [min, max] = INTEGER_FLAGS[name];
    const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new OtlpError(
        `--${name} must be an integer from ${min} to ${max}, got "${raw}"`,
        INVALID_ARGUMENT,
      );
    }
    return n;
  };
  const logLevel = str('log-level') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new OtlpError(
      `--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`,
      INVALID_ARGUMENT,
    );
  }
  for (const name of [
    'host',
    'api-key',
    'bearer-token',
    'jsonl',
    'tls-cert',
    'tls-key',
    'client-ca',
  ]) {
    if (str(name) === '') throw new OtlpError(`--${name} must not be empty`, INVALID_ARGUMENT);
  }
  const compression = str('response-compression');
  if (compression !== undefined && compression !== 'on' && compression !== 'off') {
    throw new OtlpError(
      `--response-compression must be on or off, got "${compression}"`,
      INVALID_ARGUMENT,
    );
  }
  const args: CliArgs = {
    host: str('host'),
    port: int('port'),
    tlsCert: str('tls-cert'),
    tlsKey: str('tls-key'),
    clientCa: str('client-ca'),
    corsOrigins: (values['cors-origin'] as string[] | undefined) ?? [],
    apiKey: str('api-key'),
    bearerToken: str('bearer-token'),
    maxMessageBytes: int('max-message-bytes'),
    maxInflight: int('max-inflight'),
    retryDelayMs: int('retry-delay-ms'),
    exportDelayMs: int('export-delay-ms'),
    jsonl: str('jsonl'),
    maxStoredItems: int('max-stored-items'),
    maxStoredBytes: int('max-stored-bytes'),
    maxBufferedBytes: int('max-buffered-bytes'),
    maxDecodedBytes: int('max-decoded-bytes'),
    maxConnections: int('max-connections'),
    headersTimeoutMs: int('headers-timeout-ms'),
    bodyTimeoutMs: int('body-timeout-ms'),
    idleTimeoutMs: int('idle-timeout-ms'),
    compressResponses: compression === undefined ? undefined : compression === 'on',
    summaryIntervalMs: int('summary-interval-ms') ?? 10_000,
    shutdownGraceMs: int('shutdown-grace-ms'),
    logLevel: logLevel as LogLevel,
  };
  if ((args.tlsCert === undefined) !== (args.tlsKey === undefined)) {
    throw new OtlpError('--tls-cert and --tls-key must be given together', INVALID_ARGUMENT);
  }
  if (args.clientCa !== undefined && args.tlsCert === undefined) {
    throw new OtlpError('--client-ca needs --tls-cert and --tls-key', INVALID_ARGUMENT);
  }
  return args;
}

/** Rewrites node:util parseArgs errors into one short sentence naming the flag. */
function describeParseError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const flag = /--[a-z][a-z0-9-]*/i.exec(message)?.[0] ?? /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('argument missing') || message.includes('ambiguous')) {
        return `${flag ?? 'an option'} needs a value`;
      }
      return `${flag ?? 'an option'} does not take a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${flag ?? message}: options start with --`;
    default:
      return message;
  }
}
