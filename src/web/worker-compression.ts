import type { Compression } from '../core/compression.js';
import { inTaskCompression } from './in-task-compression.js';

/** The part of a Worker this compression uses, so tests (and apps) can give their own. */
export interface CompressionWorker {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/** Options of {@link workerCompression}. */
export interface WorkerCompressionOptions {
  /**
   * Starts the worker that compresses. Throwing, or an `error` event later (a CSP without
   * `worker-src blob:`), switches to compressing on the calling thread.
   * @default a Worker running {@link COMPRESSION_WORKER_SOURCE} from a blob: URL
   */
  startWorker?: () => CompressionWorker;
  /**
   * What compresses from `pagehide` on (the requests waiting for the worker included),
   * when the page may run no further task, so no worker answer would come back.
   * @default inTaskCompression(onThread): where that cannot finish within the task, `onThread`
   */
  inTask?: () => Compression | undefined;
  /**
   * Where `pagehide` and `pageshow` are heard.
   * @default globalThis (the window)
   */
  page?: Pick<EventTarget, 'addEventListener'>;
}

/**
 * The worker's whole program: compress each `[id, bytes, format]` it gets with
 * CompressionStream and answer `[id, compressed]` (transferred), or `[id]` when it could not.
 */
export const COMPRESSION_WORKER_SOURCE = `onmessage=async({data:[i,b,f]})=>{try{b=new Uint8Array(await new Response(new Response(b).body.pipeThrough(new CompressionStream(f))).arrayBuffer());postMessage([i,b],[b.buffer])}catch{postMessage([i])}}`;

function startBlobWorker(): CompressionWorker {
  const url = URL.createObjectURL(new Blob([COMPRESSION_WORKER_SOURCE]));
  const worker = new Worker(url);
  // The constructor resolved the URL (the URL spec's blob URL entry), so it can go now.
  // No MIME type: only HTTP(S) worker scripts must have a JavaScript one.
  URL.revokeObjectURL(url);
  return worker;
}

/**
 * `onThread`'s CompressionStream format run in a Worker, so a page's main thread does not
 * pay for compression: measured in Chromium (bench/browser), gzip on the main thread cost
 * the page 5.4 ms of CPU per 1,000 spans more than in the Worker, where it costs the main
 * thread no more than sending uncompressed. The worker starts at
 * the first request. Where it cannot (no Worker, a Content-Security-Policy refusing blob:
 * workers, a worker error), `onThread` compresses instead, the requests already given to
 * the worker included, so none is lost. From `pagehide` until `pageshow` the worker is
 * not used: a page being unloaded runs no further task, so its answers would never come
 * back; what waits for it then is compressed within the task (`inTask`).
 */
export function workerCompression(
  onThread: Compression,
  options: WorkerCompressionOptions = {},
): Compression {
  const inTask = options.inTask ?? inTaskCompression(onThread);
  // Each request given to the worker, by id: settles it with the worker's bytes, or has
  // the compression given (the worker's failure: `onThread`) compress it instead.
  const waiting = new Map<number, (answer?: Uint8Array | Compression) => void>();
  const handOver = (other?: Compression) => {
    for (const settle of waiting.values()) settle(other);
  };
  // undefined: not started yet; null: unavailable, compress on this thread.
  let worker: CompressionWorker | null | undefined;
  let hidden = false;
  let nextId = 0;
  const page: Partial<Pick<EventTarget, 'addEventListener'>> = options.page ?? globalThis;
  page.addEventListener?.('pagehide', () => {
    hidden = true;
    handOver(inTask());
  });
  page.addEventListener?.('pageshow', () => {
    hidden = false;
  });
  return {
    ...onThread,
    compress(data) {
      if (worker === undefined && !hidden) {
        try {
          worker = (options.startWorker ?? startBlobWorker)();
          worker.onmessage = ({ data: [id, bytes] }) => waiting.get(id)?.(bytes);
          worker.onerror = () => {
            worker?.terminate();
            worker = null;
            handOver();
          };
        } catch {
          worker = null;
        }
      }
      if (hidden || !worker) return ((hidden && inTask()) || onThread).compress(data);
      const id = nextId++;
      const target = worker;
      return new Promise<Uint8Array>((resolve) => {
        waiting.set(id, (answer = onThread) => {
          waiting.delete(id);
          resolve(answer instanceof Uint8Array ? answer : answer.compress(data));
        });
        // A copy is transferred: the caller keeps `data` (a retry may need it again), and
        // cloning a view would copy its whole underlying buffer.
        const copy = data.slice();
        target.postMessage([id, copy, onThread.name], [copy.buffer]);
      });
    },
  };
}
