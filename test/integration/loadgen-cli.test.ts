import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { create } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListRequestSchema } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { freePort } from './client-helpers.js';

// The built otlp-loadgen, run as users run it, against a real receiver.
const run = promisify(execFile);
const loadgen = (args: string[]) =>
  run(process.execPath, ['dist/src/loadgen/cli.js', ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ port: 0, maxStoredItems: 100 });
});
afterAll(() => receiver.close());

describe('otlp-loadgen', () => {
  it.each(['grpc', 'grpc-web'])(
    'sends every signal over %s and prints a JSON summary last',
    async (transport) => {
      receiver.sinks.clear();
      const { code, stdout } = await loadgen([
        ...['--transport', transport, '--url', receiver.url, '--traces', '1000', '--logs', '300'],
        ...['--metrics', '90', '--batch', '128', '--compression', 'gzip', '--concurrency', '3'],
      ]);
      expect(code).toBe(0);
      const summary = lastJson(stdout);
      expect(summary).toMatchObject({
        transport,
        compression: 'gzip',
        traces: { sent: 1000, failed: 0, rejected: 0, dropped: 0 },
        logs: { sent: 300, failed: 0, rejected: 0, dropped: 0 },
        metrics: { sent: 90, failed: 0, rejected: 0, dropped: 0 },
        retries: 0,
      });
      expect(summary.itemsPerSecond).toBeGreaterThan(0);
      expect(summary.bytesSent).toBeLessThan(summary.bytesUncompressed);
      const stats = receiver.stats();
      expect([
        stats.traces!.itemsAccepted,
        stats.logs!.itemsAccepted,
        stats.metrics!.itemsAccepted,
      ]).toEqual([1000n, 300n, 90n]);
      // Real SDK objects through the OTel exporters: the SDK's resource and span shapes.
      const stored = receiver.sinks.listSpans(create(ListRequestSchema, { limit: 5 })).spans;
      expect(stored[0]?.origin?.resource?.attributes.map((a) => a.key)).toContain(
        'telemetry.sdk.language',
      );
      expect(stored[0]?.origin?.scope?.name).toBe('otlp-loadgen');
    },
  );

  it('exits 1 and counts the failures when nothing can be delivered', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await loadgen([
      ...['--transport', 'grpc', '--url', `http://127.0.0.1:${port}`, '--traces', '10'],
      ...['--timeout-ms', '600'],
    ]);
    expect(code).toBe(1);
    expect(lastJson(stdout).traces).toMatchObject({ sent: 0, failed: 10 });
    expect(stderr).toMatch(/unavailable/);
  });

  it('exits 2 naming a bad flag', async () => {
    const { code, stderr } = await loadgen([
      '--transport',
      'carrier-pigeon',
      '--url',
      receiver.url,
      '--traces',
      '1',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--transport must be grpc or grpc-web, got "carrier-pigeon"/);
  });
});
