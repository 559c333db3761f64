// bodyChunks reads a request body with 'data' events in place of Readable's async
// iterator: same chunks, same order, and the same endings (early stop pauses, a close
// before the end fails instead of waiting forever, an error is thrown to the reader).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bodyChunks, type NodeRequest } from '../../src/receiver/node-http.js';

const request = () => new PassThrough();
const chunk = (n: number) => new Uint8Array([n]);

async function collect(body: AsyncIterable<Uint8Array>) {
  const got: number[] = [];
  for await (const c of body) got.push(...c);
  return got;
}

describe('bodyChunks', () => {
  it('yields every chunk in order, written before and while reading', async () => {
    const req = request();
    req.write(chunk(1));
    const reading = collect(bodyChunks(req as unknown as NodeRequest));
    req.write(chunk(2));
    setImmediate(() => {
      req.write(chunk(3));
      req.end();
    });
    expect(await reading).toEqual([1, 2, 3]);
  });

  it('leaves the request paused, not destroyed, when the reader stops early', async () => {
    const req = request();
    req.write(chunk(1));
    req.write(chunk(2));
    for await (const _ of bodyChunks(req as unknown as NodeRequest)) break;
    expect(req.destroyed).toBe(false);
    expect(req.isPaused()).toBe(true);
    expect(req.listenerCount('data')).toBe(0);
  });

  it('fails with ERR_STREAM_PREMATURE_CLOSE when the request closes before its end', async () => {
    const req = request();
    const reading = collect(bodyChunks(req as unknown as NodeRequest));
    req.write(chunk(1));
    setImmediate(() => req.destroy());
    await expect(reading).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('throws a stream error to the reader', async () => {
    const req = request();
    const reading = collect(bodyChunks(req as unknown as NodeRequest));
    setImmediate(() => req.destroy(new Error('boom')));
    await expect(reading).rejects.toThrow('boom');
  });
});
