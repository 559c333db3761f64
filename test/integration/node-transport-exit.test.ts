import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';

// A bare Node process (nothing else keeping its event loop alive) that exports and then
// awaits transport.close() must see the close resolve, not exit with the promise pending
// (exit code 13, "unsettled top-level await"): idle HTTP/2 sessions are unref'd.
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ port: 0 });
});
afterAll(() => receiver.close());

it('resolves close() in a process with nothing else to keep it alive', async () => {
  const script = `
    import { createGrpcTransport } from './dist/src/node/grpc-transport.js';
    const t = createGrpcTransport();
    const r = await t.send({ url: ${JSON.stringify(receiver.url)}, path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      body: new Uint8Array(0), encoding: 'identity', headers: {}, timeoutMs: 5000 });
    console.log('status', r.code);
    await t.close();
    console.log('closed');`;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--input-type=module',
    '-e',
    script,
  ]);
  expect(stdout.trim().split('\n')).toEqual(['status 0', 'closed']);
});
