import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type CompressionWorker,
  gzipCompression,
  pickCompression,
  workerCompression,
} from '../../src/web/index.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const data = new TextEncoder().encode('span attributes '.repeat(500));
const gunzip = (bytes: Uint8Array) => new Uint8Array(gunzipSync(bytes));

/** A worker that runs the real compression on this thread, one answer per message. */
class FakeWorker implements CompressionWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  messages: { message: unknown; transfer: Transferable[] }[] = [];
  terminated = false;
  postMessage(message: unknown, transfer: Transferable[]): void {
    this.messages.push({ message, transfer });
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Answers message `n` the way the worker program does. */
  async answer(n: number, ok = true): Promise<void> {
    const [id, bytes] = this.messages[n]!.message as [number, Uint8Array, string];
    const reply = ok ? [id, await gzipCompression()!.compress(bytes)] : [id];
    this.onmessage?.({ data: reply } as MessageEvent);
  }
}

describe('workerCompression', () => {
  it('compresses in the worker, transferring a copy so the caller keeps its bytes', async () => {
    const worker = new FakeWorker();
    const start = vi.fn(() => worker);
    const gzip = workerCompression(gzipCompression()!, { startWorker: start });
    expect(gzip.name).toBe('gzip');
    const view = data.subarray(16);
    const result = gzip.compress(view);
    const second = gzip.compress(data);
    expect(start).toHaveBeenCalledTimes(1);
    const [id, sent, format] = worker.messages[0]!.message as [number, Uint8Array, string];
    expect(format).toBe('gzip');
    expect(sent).toEqual(view);
    expect(sent.buffer).not.toBe(view.buffer);
    // Only the view's bytes, not the buffer under it.
    expect(sent.buffer.byteLength).toBe(view.length);
    expect(worker.messages[0]!.transfer).toEqual([sent.buffer]);
    await worker.answer(1);
    await worker.answer(0);
    expect(gunzip(await result)).toEqual(view);
    expect(gunzip(await second)).toEqual(data);
    expect(id).toBe(0);
    expect(view.length).toBe(data.length - 16);
  });

  it('compresses on this thread when no worker can start (no Worker, CSP)', async () => {
    const start = vi.fn((): CompressionWorker => {
      throw new Error('SecurityError: worker-src');
    });
    const gzip = workerCompression(gzipCompression()!, { startWorker: start });
    expect(gunzip(await gzip.compress(data))).toEqual(data);
    expect(gunzip(await gzip.compress(data))).toEqual(data);
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('a worker error hands what it held back to this thread, and later requests stay here', async () => {
    const worker = new FakeWorker();
    const start = vi.fn(() => worker);
    const gzip = workerCompression(gzipCompression()!, { startWorker: start });
    const held = [gzip.compress(data), gzip.compress(data.subarray(1))];
    worker.onerror?.({} as ErrorEvent);
    expect(worker.terminated).toBe(true);
    expect(gunzip(await held[0]!)).toEqual(data);
    expect(gunzip(await held[1]!)).toEqual(data.subarray(1));
    expect(gunzip(await gzip.compress(data))).toEqual(data);
    expect(worker.messages).toHaveLength(2);
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('a request the worker could not compress is compressed on this thread', async () => {
    const worker = new FakeWorker();
    const gzip = workerCompression(gzipCompression()!, { startWorker: () => worker });
    const result = gzip.compress(data);
    await worker.answer(0, false);
    expect(gunzip(await result)).toEqual(data);
  });

  it('pickCompression uses a blob: Worker in a page, and not outside one', async () => {
    const started: FakeWorker[] = [];
    const urls: string[] = [];
    vi.stubGlobal(
      'Worker',
      class extends FakeWorker {
        constructor(url: string) {
          super();
          urls.push(url);
          started.push(this);
        }
        addEventListener() {}
      },
    );
    pickCompression('gzip')!.compress(data);
    expect(started).toHaveLength(0);
    vi.stubGlobal('document', {});
    const gzip = pickCompression('gzip')!;
    const result = gzip.compress(data);
    expect(urls[0]).toMatch(/^blob:/);
    await started[0]!.answer(0);
    expect(gunzip(await result)).toEqual(data);
  });

  it('from pagehide on, compresses within the task, what waited for the worker included', async () => {
    const worker = new FakeWorker();
    const page = new EventTarget();
    const inTask = { name: 'gzip', compress: vi.fn(gzipCompression()!.compress) };
    const gzip = workerCompression(gzipCompression()!, {
      startWorker: () => worker,
      inTask: () => inTask,
      page,
    });
    const waiting = gzip.compress(data);
    page.dispatchEvent(new Event('pagehide'));
    expect(gunzip(await waiting)).toEqual(data);
    expect(gunzip(await gzip.compress(data))).toEqual(data);
    expect(inTask.compress).toHaveBeenCalledTimes(2);
    // The worker's late answer changes nothing.
    await worker.answer(0);
    page.dispatchEvent(new Event('pageshow'));
    void gzip.compress(data);
    expect(worker.messages).toHaveLength(2);
  });
});
