// A real OpenTelemetry Collector (collector/, built by scripts/build-collector.mjs) for the
// tests and benches: an otlp receiver (gRPC) on 127.0.0.1, forwarding all three signals with
// its otlp_grpc exporter (gzip, the Collector's default) to `forwardTo`, or to nop. Missing
// binary: built first outside CI when Go is there; in CI (CI=true) it fails, never skips.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCollector } from '../../scripts/build-collector.mjs';
import type { Compression } from '../../src/core/compression.js';
import { freePort } from '../integration/client-helpers.js';

/** The binary, built if stale and allowed; throws saying how to get it otherwise. */
export function collectorBinary(): string {
  return ensureCollector({ build: !process.env.CI });
}

export interface CollectorOptions {
  /** Port of the Collector's OTLP gRPC receiver; 0 = a free one. @default 0 */
  port?: number;
  /** host:port the otlp_grpc exporter sends to; undefined = the nop exporter. */
  forwardTo?: string;
  /** A memory_limiter first in every pipeline with this limit, in MiB (1: refuses everything). */
  memoryLimitMiB?: number;
  /**
   * A batch processor (200 ms) and the exporter's sending queue and retries, as a
   * production Collector runs; false: the Collector answers only once the backend has, so a
   * refusal reaches the client and an OK means delivered. @default true
   */
  buffered?: boolean;
}

export interface RunningCollector {
  port: number;
  /** `http://127.0.0.1:<port>`, for the exporters. */
  url: string;
  /** The Collector's process id (for its CPU time in benches). */
  pid(): number;
  /** Everything it logged so far. */
  output(): string;
  /** SIGTERM, and wait for the exit: grpc-go's graceful stop lets calls in flight finish. */
  halt(): Promise<void>;
  /** Starts it again after `halt`, on the same port with the same config. */
  start(): Promise<void>;
  /** Halts it and removes its config. */
  stop(): Promise<void>;
}

/** The Collector configuration (JSON is YAML, which the Collector reads). */
export function collectorConfig(port: number, options: CollectorOptions): object {
  const buffered = options.buffered ?? true;
  const processors: Record<string, object> = {};
  if (options.memoryLimitMiB !== undefined) {
    processors.memory_limiter = {
      check_interval: '100ms',
      limit_mib: options.memoryLimitMiB,
      spike_limit_mib: 0,
    };
  }
  if (buffered) processors.batch = { timeout: '200ms' };
  const exporter = options.forwardTo
    ? {
        otlp_grpc: {
          endpoint: options.forwardTo,
          tls: { insecure: true },
          compression: 'gzip',
          sending_queue: { enabled: buffered },
          retry_on_failure: buffered
            ? { enabled: true, initial_interval: '100ms', max_interval: '1s' }
            : { enabled: false },
        },
      }
    : { nop: {} };
  const pipeline = {
    receivers: ['otlp'],
    processors: Object.keys(processors),
    exporters: Object.keys(exporter),
  };
  return {
    receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${port}` } } } },
    processors,
    exporters: exporter,
    service: {
      pipelines: { traces: pipeline, metrics: pipeline, logs: pipeline },
      telemetry: { metrics: { level: 'none' }, logs: { level: 'info' } },
    },
  };
}

/** Starts the Collector and resolves once it says it is ready. */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  const binary = collectorBinary();
  const port = options.port || (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'otelcol-'));
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, JSON.stringify(collectorConfig(port, options), null, 2));
  let log = '';
  let child: ChildProcess | undefined;
  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const started = spawn(binary, ['--config', configPath], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      const timer = setTimeout(() => fail('not ready after 30 s'), 30_000);
      const from = log.length;
      const exited = (code: number | null, signal: string | null) =>
        fail(`exited (${code ?? signal})`);
      const fail = (why: string) => {
        clearTimeout(timer);
        started.kill('SIGKILL');
        reject(new Error(`OpenTelemetry Collector ${why}:\n${log.slice(-4000)}`));
      };
      const read = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.indexOf('Everything is ready', from) !== -1) {
          clearTimeout(timer);
          started.off('exit', exited);
          resolve();
        }
      };
      started.stdout!.on('data', read);
      started.stderr!.on('data', read);
      started.once('exit', exited);
    });
  const halt = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  await launch();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    pid: () => child?.pid ?? 0,
    output: () => log,
    halt,
    start: launch,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `decoders`, recording in `decoded` the encoding of every answer they decode. */
export function watchDecoders(decoders: readonly Compression[], decoded: string[]): Compression[] {
  return decoders.map((d) => ({
    ...d,
    decompress: (data, maxBytes) => {
      decoded.push(d.name);
      return d.decompress!(data, maxBytes);
    },
  }));
}
