import { readFileSync } from 'node:fs';
import { isOtlpError } from '../../core/otlp-error.js';
import { createLogger } from '../logger.js';
import type { ReceiverOptions } from '../options.js';
import type { TlsOptions } from '../server/tls.js';
import { type Receiver, startReceiver } from '../start-receiver.js';
import { type CliArgs, parseCliArgs } from './args.js';
import { createSummaryPrinter } from './summary-printer.js';
import { USAGE } from './usage.js';

/** The signals that stop the receiver gracefully. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Everything the CLI touches outside itself, injected so that `runCli` runs in-process
 * in tests: output lines, signals, files and the summary timer.
 */
export interface CliIo {
  /** One line for stdout (the listening line and summaries). */
  stdout(line: string): void;
  /** One line for stderr (logs and errors). */
  stderr(line: string): void;
  /** Calls `handler` on each stop signal until the returned function is called. */
  onSignal(handler: (signal: StopSignal) => void): () => void;
  /** Reads a file named by a flag. */
  readFile(path: string): Buffer;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

/** The real process: stdout, stderr, SIGINT/SIGTERM, the file system, unref'd timers. */
export function createProcessIo(): CliIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    onSignal(handler) {
      const on = (signal: StopSignal) => handler(signal);
      process.on('SIGINT', on);
      process.on('SIGTERM', on);
      return () => {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
      };
    },
    readFile: (path) => readFileSync(path),
    every(ms, fn) {
      const timer = setInterval(fn, ms);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/** Exit codes: 0 clean stop, 1 runtime failure (a JSONL file that failed included), 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * The `otlp-receiver` command: parses `argv`, starts the receiver, prints the listening
 * line, prints summaries, and on SIGINT/SIGTERM shuts down gracefully (calls in flight
 * finish, the JSONL file is flushed). A second signal stops waiting. Resolves with the
 * exit code.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArgs | 'help';
  let options: ReceiverOptions;
  try {
    args = parseCliArgs(argv);
    if (args === 'help') {
      io.stdout(USAGE.trimEnd());
      return EXIT_OK;
    }
    options = receiverOptions(args, io);
  } catch (e) {
    io.stderr(`otlp-receiver: ${isOtlpError(e) ? e.rawMessage : String(e)}`);
    io.stderr("Run 'otlp-receiver --help' for the options.");
    return EXIT_USAGE;
  }
  const logger = createLogger({ level: args.logLevel, write: io.stderr });
  let stopRequested!: (signal: StopSignal) => void;
  const stopped = new Promise<StopSignal>((resolve) => {
    stopRequested = resolve;
  });
  let signals = 0;
  let forced!: () => void;
  const forcedExit = new Promise<void>((resolve) => {
    forced = resolve;
  });
  const unsubscribe = io.onSignal((signal) => {
    signals++;
    if (signals === 1) stopRequested(signal);
    else forced();
  });

  let receiver: Receiver;
  try {
    receiver = await startReceiver({ ...options, logger });
  } catch (e) {
    unsubscribe();
    io.stderr(`otlp-receiver: cannot start: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_FAILURE;
  }
  io.stdout(`otlp-receiver listening on ${receiver.url}`);
  const summary = createSummaryPrinter({ stats: receiver.stats, write: io.stdout });
  const stopSummaries =
    args.summaryIntervalMs > 0 ? io.every(args.summaryIntervalMs, () => summary.print()) : () => {};

  const signal = await stopped;
  logger.info(`${signal}: shutting down, ${receiver.inflight()} export call(s) in flight`);
  stopSummaries();
  const outcome = await Promise.race([
    receiver.close().then(() => 'closed' as const),
    forcedExit.then(() => 'forced' as const),
  ]);
  unsubscribe();
  if (outcome === 'forced') {
    io.stderr('otlp-receiver: second signal, exiting without waiting for calls in flight');
    return EXIT_FAILURE;
  }
  if (args.summaryIntervalMs > 0) summary.print();
  const failure = receiver.sinks.failure;
  if (failure !== undefined) {
    io.stderr(`otlp-receiver: stopped after a failure: ${failure.message}`);
    return EXIT_FAILURE;
  }
  logger.info('stopped');
  return EXIT_OK;
}

function receiverOptions(args: CliArgs, io: CliIo): ReceiverOptions {
  const read = (flag: string, path: string): Buffer => {
    try {
      return io.readFile(path);
    } catch (e) {
      throw new Error(
        `${flag}: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  let tls: TlsOptions | undefined;
  if (args.tlsCert !== undefined && args.tlsKey !== undefined) {
    tls = {
      cert: read('--tls-cert', args.tlsCert),
      key: read('--tls-key', args.tlsKey),
      clientCa: args.clientCa === undefined ? undefined : read('--client-ca', args.clientCa),
    };
  }
  return {
    host: args.host,
    port: args.port,
    tls,
    corsOrigins: args.corsOrigins,
    apiKey: args.apiKey,
    bearerToken: args.bearerToken,
    maxMessageBytes: args.maxMessageBytes,
    maxInflight: args.maxInflight,
    retryDelayMs: args.retryDelayMs,
    exportDelayMs: args.exportDelayMs,
    jsonlPath: args.jsonl,
    maxStoredItems: args.maxStoredItems,
    maxStoredBytes: args.maxStoredBytes,
    maxBufferedBytes: args.maxBufferedBytes,
    maxDecodedBytes: args.maxDecodedBytes,
    maxConnections: args.maxConnections,
    headersTimeoutMs: args.headersTimeoutMs,
    bodyTimeoutMs: args.bodyTimeoutMs,
    idleTimeoutMs: args.idleTimeoutMs,
    compressResponses: args.compressResponses,
    shutdownGraceMs: args.shutdownGraceMs,
  };
}
