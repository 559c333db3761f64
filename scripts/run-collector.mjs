// Runs the OpenTelemetry Collector built by build-collector.mjs, for the tests and the
// benches: its otlp receiver (gRPC) on 127.0.0.1, all three signals to its otlp_grpc
// exporter (gzip, the Collector's default) pointed at `forwardTo`, or to the nop exporter.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Collector configuration for `port` and the options (JSON, which is YAML). */
export function collectorConfig(port, options = {}) {
  const buffered = options.buffered ?? true;
  const processors = {};
  if (options.memoryLimitMiB !== undefined) {
    processors.memory_limiter = {
      check_interval: '100ms',
      limit_mib: options.memoryLimitMiB,
      spike_limit_mib: 0,
    };
  }
  if (buffered && options.forwardTo) processors.batch = { timeout: '200ms' };
  const exporters = options.forwardTo
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
    exporters: Object.keys(exporters),
  };
  return {
    receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${port}` } } } },
    processors,
    exporters,
    service: {
      pipelines: { traces: pipeline, metrics: pipeline, logs: pipeline },
      telemetry: { metrics: { level: 'none' }, logs: { level: 'info' } },
    },
  };
}

/** A port that was free a moment ago (the Collector cannot report the port it bound). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `binary` with the options' config; resolves once the Collector says it is ready. */
export async function startCollector(binary, options = {}) {
  const port = options.port || (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'otelcol-'));
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, JSON.stringify(collectorConfig(port, options), null, 2));
  let log = '';
  let child;
  const start = () =>
    new Promise((resolve, reject) => {
      const started = spawn(binary, ['--config', configPath], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      const from = log.length;
      const fail = (why) => {
        clearTimeout(timer);
        started.kill('SIGKILL');
        reject(new Error(`OpenTelemetry Collector ${why}:\n${log.slice(-4000)}`));
      };
      const exited = (code, signal) => fail(`exited (${code ?? signal})`);
      const timer = setTimeout(() => fail('not ready after 30 s'), 30_000);
      const read = (chunk) => {
        log += chunk.toString();
        if (log.indexOf('Everything is ready', from) !== -1) {
          clearTimeout(timer);
          started.off('exit', exited);
          resolve();
        }
      };
      started.stdout.on('data', read);
      started.stderr.on('data', read);
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
  await start();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    pid: () => child?.pid ?? 0,
    output: () => log,
    halt,
    start,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
