import { ConnectError } from '@connectrpc/connect';
import {
  compressionNegotiate,
  encodeEnvelope,
  type UniversalServerRequest,
} from '@connectrpc/connect/protocol';
import type { AuthCheck } from './auth.js';
import type { CallRecord } from './call-record.js';
import { decodeRequestBody } from './decode-request.js';
import { receiverGzip } from './gzip.js';
import type { InflightLimiter, Release } from './overload.js';
import { detectFormat, type HeaderReader, type RequestFormat } from './request-format.js';
import type { Route } from './routes.js';

/** What the gate checks calls against. */
export interface GateOptions {
  auth: AuthCheck;
  limiter: InflightLimiter;
  maxMessageBytes: number;
}

/**
 * What the gate reads of a call. connect's request is one; the direct native gRPC path
 * passes Node's headers through a getter, sparing a Headers object per call.
 */
export interface GateRequest {
  method: string;
  header: HeaderReader;
  body: UniversalServerRequest['body'];
}

/**
 * The request to go on with (a refused one with a body that throws the refusal), and the
 * overload slot to release once answered.
 */
export interface Admission<R extends GateRequest> {
  request: R;
  release: Release;
  /** The request's format, when the gate recognised it. */
  format?: RequestFormat;
}

const noop: Release = () => {};
const emptyJson = new TextEncoder().encode('{}');

/**
 * Runs before connect sees a call, in the order connect itself checks things
 * (compression, timeout), then credentials, then load, then the body. A refused call
 * gets a body that throws the refusal, so connect answers it in the call's own protocol
 * (trailers, grpc-web trailer frame or Connect JSON error) without its body being read.
 * An Export call's body is decoded here (see decode-request.ts): connect, when it answers
 * the call, is handed an empty message in its place ({@link withPlaceholder}), so the
 * request is parsed once.
 */
export async function admit<R extends GateRequest>(
  route: Route,
  request: R,
  record: CallRecord,
  options: GateOptions,
): Promise<Admission<R>> {
  const format = detectFormat(request.header.get('content-type'));
  // Left to connect: it answers 415 for an unknown content-type, 405 for a wrong verb.
  if (format === undefined || request.method !== 'POST') return { request, release: noop };
  record.protocol = format.protocol;
  const body = countBytes(request.body as AsyncIterable<Uint8Array>, record);
  const negotiated = compressionNegotiate(
    [receiverGzip],
    request.header.get(format.encodingHeader),
    request.header.get(format.acceptEncodingHeader),
    format.acceptEncodingHeader,
  );
  record.encoding = request.header.get(format.encodingHeader) ?? 'identity';
  const refuse = (error: ConnectError): Admission<R> => {
    record.error = error;
    return { request: { ...request, body: throwing(error) }, release: noop };
  };
  const early =
    negotiated.error ?? format.parseTimeout(request.header).error ?? options.auth(request.header);
  if (early !== undefined) return refuse(early);
  if (route.schema === undefined) return { request: { ...request, body }, release: noop };

  const slot = options.limiter.acquire();
  if (slot instanceof ConnectError) return refuse(slot);
  try {
    record.decoded = await decodeRequestBody(route.schema, body, {
      format,
      compression: negotiated.request,
      readMaxBytes: options.maxMessageBytes,
      contentLength: request.header.get('content-length'),
    });
  } catch (e) {
    slot();
    return refuse(ConnectError.from(e));
  }
  return { request, release: slot, format };
}

/**
 * The request connect is handed for a call the gate decoded (`record.decoded`): an empty
 * message in place of the body, so the request is parsed once.
 */
export function withPlaceholder(
  request: UniversalServerRequest,
  format: RequestFormat,
): UniversalServerRequest {
  const header = new Headers(request.header);
  header.delete('content-length');
  const placeholder = format.binary ? new Uint8Array(0) : emptyJson;
  if (!format.enveloped) header.delete(format.encodingHeader);
  return {
    ...request,
    header,
    body: once(format.enveloped ? encodeEnvelope(0, placeholder) : placeholder),
  };
}

// An iterator, not an async generator: that would cost a few promises more per chunk.
function countBytes(
  body: AsyncIterable<Uint8Array>,
  record: CallRecord,
): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const chunks = body[Symbol.asyncIterator]();
      return {
        next: () =>
          chunks.next().then((r) => {
            if (!r.done) record.wireBytes += r.value.byteLength;
            return r;
          }),
        return: (value?: unknown) =>
          chunks.return?.(value) ?? Promise.resolve({ done: true, value }),
      };
    },
  };
}

// biome-ignore lint/correctness/useYield: a body whose first read fails with the refusal
async function* throwing(error: ConnectError): AsyncIterable<Uint8Array> {
  throw error;
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
