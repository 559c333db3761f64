import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';

// The README's Node section ends with a SIGTERM handler ("exit once the spans are flushed").
// Run exactly that handler, taken from the README, in a real Node process with spans still
// in the BatchSpanProcessor's queue, send SIGTERM, and check that the process exits 0 and
// that every span reached the receiver. (The README builds its provider from
// sdk-trace-node; the test uses sdk-trace-base's, which is what sdk-trace-node extends.)
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ port: 0 });
});
afterAll(() => receiver.close());

function readmeSigtermHandler(): string {
  const readme = readFileSync('README.md', 'utf8');
  const block = readme.split('```').find((part) => part.includes("process.once('SIGTERM'"));
  if (!block) throw new Error("README has no code block with process.once('SIGTERM'");
  return block.slice(block.indexOf("process.once('SIGTERM'"));
}

it("flushes and exits 0 on SIGTERM with the README's handler", async () => {
  const handler = readmeSigtermHandler();
  expect(handler).toContain('provider.shutdown()');
  const script = `
    import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
    import { OTLPTraceExporter } from './dist/src/node/index.js';
    const exporter = new OTLPTraceExporter({ url: ${JSON.stringify(receiver.url)} });
    // A 60 s delay: the spans are still queued when SIGTERM comes.
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60000 })],
    });
    const tracer = provider.getTracer('readme-sigterm');
    for (let i = 0; i < 25; i++) tracer.startSpan('queued ' + i).end();
    ${handler}
    // Something to keep the process alive, as a server's listeners would.
    setInterval(() => {}, 1000);
    console.log('ready');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited (${code}) before it was ready`)));
  });
  expect(receiver.stats().traces?.itemsAccepted ?? 0n).toBe(0n);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(receiver.stats().traces?.itemsAccepted).toBe(25n);
});
