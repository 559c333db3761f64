// Variations of the web exporter's transport and compression for the browser bench
// (`ours-x-*` variants in chromium-bench.mjs), built from the package's own dist modules so
// that one knob changes and nothing else: how the response is read, keepalive, the
// deadline signal, how bytes reach the compression Worker, how main-thread gzip is read.
// Bench code only: the shipped ones are src/web/grpc-web-transport.ts and
// src/web/{compression,worker-compression,in-task-compression}.ts.
import { MAX_RESPONSE_BYTES } from '../../dist/src/core/compression.js';
import { concatBytes } from '../../dist/src/core/concat-bytes.js';
import { encodeEnvelope, FLAG_COMPRESSED } from '../../dist/src/protocol/envelope.js';
import { interpretResponse } from '../../dist/src/protocol/interpret-response.js';
import { acceptEncoding, requestHeaders } from '../../dist/src/protocol/request-headers.js';
import { readStream } from '../../dist/src/web/byte-stream.js';
import { gzipCompression, streamDecoders } from '../../dist/src/web/compression.js';
import { COMPRESSION_WORKER_SOURCE } from '../../dist/src/web/worker-compression.js';

/** Reads a response body to a Uint8Array, capped, in one of three ways. */
const READERS = {
  // As src (src/web/byte-stream.ts): the body's reader, counting, joined at the end.
  capped: (response) => readStream(response.body, MAX_RESPONSE_BYTES, 'response body'),
  // What src did before 2026-12-03: pipeThrough a counting TransformStream, then
  // new Response(...).arrayBuffer().
  piped: async (response) => {
    let length = 0;
    const counted = response.body?.pipeThrough(
      new TransformStream({
        transform(chunk, controller) {
          length += chunk.length;
          if (length > MAX_RESPONSE_BYTES) throw new Error('too large');
          controller.enqueue(chunk);
        },
      }),
    );
    return new Uint8Array(await new Response(counted).arrayBuffer());
  },
  // response.arrayBuffer() after a Content-Length check (the cap then holds only for
  // bodies with a length; the bench's are all small).
  arrayBuffer: async (response) => {
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_RESPONSE_BYTES) throw new Error('too large');
    return new Uint8Array(await response.arrayBuffer());
  },
  // The body's own reader, counting as it goes.
  reader: async (response) => {
    if (!response.body) return new Uint8Array(0);
    const reader = response.body.getReader();
    const parts = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return concatBytes(parts);
      length += value.length;
      if (length > MAX_RESPONSE_BYTES) {
        reader.cancel();
        throw new Error('too large');
      }
      parts.push(value);
    }
  },
};

/**
 * The gRPC-web transport of src/web/grpc-web-transport.ts without its error paths, with
 * knobs: `read` (capped | piped | arrayBuffer | reader | none), `keepalive` (false: never),
 * `deadline` (false: no AbortSignal.timeout; 'controller': AbortController + setTimeout), `send` (false: no fetch, answered OK).
 */
export function variantTransport({
  read = 'capped',
  keepalive = true,
  deadline = true,
  send = true,
} = {}) {
  const decoders = streamDecoders();
  const accept = acceptEncoding(decoders);
  const readBody = READERS[read];
  return {
    name: 'grpc-web',
    async send(request) {
      const body = encodeEnvelope(
        request.encoding === 'identity' ? 0 : FLAG_COMPRESSED,
        request.body,
      );
      const init = {
        method: 'POST',
        headers: requestHeaders(request, true, accept),
        body,
        redirect: 'manual',
      };
      // deadline: 'controller' aborts through an AbortController and a cleared setTimeout
      // (as OTel's fetch transport does) instead of AbortSignal.timeout.
      let timer;
      if (deadline === 'controller') {
        const controller = new AbortController();
        timer = setTimeout(() => controller.abort(), request.timeoutMs);
        init.signal = controller.signal;
      } else if (deadline) init.signal = AbortSignal.timeout(request.timeoutMs);
      if (keepalive && request.keepalive && body.length <= 65_536) init.keepalive = true;
      // send: false answers OK a task later without fetch (what the rest costs without it).
      if (!send)
        return new Promise((resolve) => setTimeout(() => resolve({ code: 0, message: '' })));
      try {
        const response = await fetch(request.url.replace(/\/+$/, '') + request.path, init);
        // read: 'none' takes the status alone, as OTel's fetch transport does (gRPC-web
        // cannot: its status is in the body's trailer frame), for what reading costs.
        if (read === 'none') return { code: response.status === 200 ? 0 : 14, message: '' };
        return await interpretResponse(
          {
            httpStatus: response.status,
            headers: response.headers,
            body: await readBody(response),
            web: true,
          },
          decoders,
        );
      } catch (error) {
        return { code: 14, message: `network error: ${error?.message ?? error}` };
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => {},
  };
}

/** gzip through new Response(stream).arrayBuffer(), as src's main-thread gzip did before 2026-12-03. */
async function gzipResponse(data) {
  const piped = new Response(data).body.pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

/**
 * A minimal Worker compression (no fallback, no pagehide): `send` is
 * copy-transfer (as src: slice, transfer the copy), transfer (the caller's buffer itself,
 * detaching it), or clone (structured clone, no transfer list).
 */
function workerGzip(send) {
  const url = URL.createObjectURL(
    new Blob([COMPRESSION_WORKER_SOURCE], { type: 'text/javascript' }),
  );
  let worker;
  let nextId = 0;
  const pending = new Map();
  return {
    name: 'gzip',
    compress(data) {
      if (!worker) {
        worker = new Worker(url);
        worker.onmessage = ({ data: [id, bytes] }) => {
          pending.get(id)(bytes);
          pending.delete(id);
        };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (send === 'clone') worker.postMessage([id, data, 'gzip']);
        else if (send === 'transfer') {
          const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
          const own = whole ? data : data.slice();
          worker.postMessage([id, own, 'gzip'], [own.buffer]);
        } else {
          const copy = data.slice();
          worker.postMessage([id, copy, 'gzip'], [copy.buffer]);
        }
      });
    },
  };
}

/** The compression for a `compression` knob of an `ours-x` variant. */
export function variantCompression(name) {
  switch (name) {
    case 'none':
      return 'none';
    case 'main-response': // new Response(stream).arrayBuffer(), as before 2026-12-03
      return { name: 'gzip', compress: gzipResponse };
    case 'main-writer': // src's gzipCompression(): the stream's writer and reader
      return gzipCompression();
    case 'worker-copy':
    case 'worker-transfer':
    case 'worker-clone':
      return workerGzip(name.slice('worker-'.length));
    default:
      return 'gzip'; // src's pickCompression: workerCompression in a page
  }
}
