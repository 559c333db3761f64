import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { until } from '../edge/receiver-harness.js';
import { type RunningCollector, startCollector } from '../helpers/collector.js';

// The built otlp-loadgen, as users run it, against a real OpenTelemetry Collector that
// forwards to the receiver: exit 0, and everything it sent arrives.
const run = promisify(execFile);
const loadgen = (args: string[]) =>
  run(process.execPath, ['dist/src/loadgen/cli.js', ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

let receiver: Receiver;
let collector: RunningCollector;
beforeAll(async () => {
  receiver = await startReceiver({ port: 0, maxStoredItems: 100 });
  collector = await startCollector({ forwardTo: `127.0.0.1:${receiver.port}` });
});
afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
});

describe('otlp-loadgen -> Collector', () => {
  it.each([[[]], [['--compression', 'gzip']]])(
    'exits 0 with nothing lost (flags %j; the default is no compression)',
    async (flags) => {
      const before = receiver.stats();
      const { code, stdout, stderr } = await loadgen([
        ...['--transport', 'grpc', '--url', collector.url, '--traces', '3000', '--logs', '1000'],
        ...['--metrics', '200', ...flags],
      ]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(summary).toMatchObject({
        traces: { sent: 3000, failed: 0, rejected: 0, dropped: 0 },
        logs: { sent: 1000, failed: 0, rejected: 0, dropped: 0 },
        metrics: { sent: 200, failed: 0, rejected: 0, dropped: 0 },
        retries: 0,
      });
      const accepted = (s: typeof before) =>
        [s.traces!, s.logs!, s.metrics!].map((x) => Number(x.itemsAccepted));
      const delta = () => accepted(receiver.stats()).map((n, i) => n - accepted(before)[i]!);
      await until(() => delta().join() === '3000,1000,200', 'every item at the receiver');
    },
  );
});
