// A fuzzer for the receiver's Export methods: valid OTLP requests of the three signals,
// mutated (cut, bit flips, inserted and random bytes, over-long tags), sometimes sent to
// another signal's service, framed and compressed right or wrong, over gRPC, gRPC-web and
// Connect. Every answer is checked against the oracle (receiver-fuzz-oracle.ts).
import type * as http2 from 'node:http2';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type DescMessage, fromBinary, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { ExportLogsServiceResponseSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportMetricsServiceResponseSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceResponseSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Code } from '../../src/core/code.js';
import { logsRequest, metricsRequest, traceRequest } from './otlp-fixtures.js';
import { EXPORT_PATHS, rawRequest } from './raw-http2.js';
import { type Expected, expectedItems, type FuzzSignal, SCHEMAS } from './receiver-fuzz-oracle.js';

export type FuzzProtocol = 'grpc' | 'grpc-web' | 'connect';

/** One fuzz input: where it goes, and the bytes and framing it goes with. */
export interface FuzzInput {
  signal: FuzzSignal;
  protocol: FuzzProtocol;
  /** The message bytes, before compression and framing. */
  payload: Uint8Array;
  compression: 'identity' | 'gzip' | 'gzip-cut';
  framing: 'ok' | 'short' | 'extra' | 'flags';
}

const SIGNALS: FuzzSignal[] = ['traces', 'metrics', 'logs'];

const BASES: Uint8Array[] = [
  ...[0, 1, 3].flatMap((n) => [
    toBinary(SCHEMAS.traces, traceRequest(n, { invalid: n % 2 })),
    toBinary(SCHEMAS.metrics, metricsRequest(n)),
    toBinary(SCHEMAS.logs, logsRequest(n)),
  ]),
];

type Mutation = (b: Uint8Array) => Uint8Array;

const at = (b: Uint8Array, i: number) => (b.length === 0 ? 0 : i % (b.length + 1));
const splice = (b: Uint8Array, i: number, cut: number, add: Uint8Array) =>
  new Uint8Array(Buffer.concat([b.subarray(0, i), add, b.subarray(i + cut)]));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant((b: Uint8Array) => b), weight: 6 },
  fc.nat().map((i) => (b: Uint8Array) => b.subarray(0, at(b, i))),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([i, bit]) => (b: Uint8Array) => {
    if (b.length === 0) return b;
    const out = new Uint8Array(b);
    out[i % b.length]! ^= 1 << bit;
    return out;
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(
    ([i, add]) =>
      (b: Uint8Array) =>
        splice(b, at(b, i), 0, add),
  ),
  fc.uint8Array({ maxLength: 64 }).map((random) => () => random),
  // A tag rewritten as an over-long (6 to 10 byte) varint.
  fc.integer({ min: 1, max: 5 }).map((pad) => (b: Uint8Array) => {
    if (b.length === 0) return b;
    const longer = [b[0]! | 0x80, ...Array(pad).fill(0x80), 0x00];
    return splice(b, 0, 1, Uint8Array.from(longer));
  }),
);

/** Inputs over every signal, protocol, compression and framing. */
export const fuzzInput: fc.Arbitrary<FuzzInput> = fc
  .record({
    signal: fc.constantFrom(...SIGNALS),
    protocol: fc.constantFrom<FuzzProtocol>('grpc', 'grpc-web', 'connect'),
    base: fc.constantFrom(...BASES),
    mutation,
    compression: fc.constantFrom('identity', 'identity', 'gzip', 'gzip-cut') as fc.Arbitrary<
      FuzzInput['compression']
    >,
    framing: fc.oneof(
      { arbitrary: fc.constant('ok' as const), weight: 6 },
      fc.constantFrom('short' as const, 'extra' as const, 'flags' as const),
    ),
  })
  .map((r) => ({
    signal: r.signal,
    protocol: r.protocol,
    payload: r.mutation(r.base),
    compression: r.compression,
    framing: r.protocol === 'connect' ? 'ok' : r.framing,
  }));

/** The status the receiver must answer, and the items it must take when OK. */
export function expectedOutcome(input: FuzzInput): { code: Code; items?: Expected } {
  if (input.framing !== 'ok' || input.compression === 'gzip-cut') {
    return { code: Code.InvalidArgument };
  }
  const items = expectedItems(input.signal, input.payload);
  return items === undefined ? { code: Code.InvalidArgument } : { code: Code.Ok, items };
}

const RESPONSES: Record<FuzzSignal, DescMessage> = {
  traces: ExportTraceServiceResponseSchema,
  metrics: ExportMetricsServiceResponseSchema,
  logs: ExportLogsServiceResponseSchema,
};

/** What came back: the status, and the rejected count of partial_success when OK. */
export interface FuzzAnswer {
  code: number;
  rejected: number | undefined;
  message: string;
}

/** Sends one input on an HTTP/2 session and reads the answer in its protocol. */
export async function sendFuzzInput(
  session: http2.ClientHttp2Session,
  input: FuzzInput,
): Promise<FuzzAnswer> {
  let data = input.payload;
  if (input.compression !== 'identity') {
    data = new Uint8Array(gzipSync(data));
    if (input.compression === 'gzip-cut') data = data.subarray(0, Math.max(1, data.length >> 1));
  }
  const gzip = input.compression !== 'identity';
  const headers: Record<string, string> = {};
  let body = data;
  if (input.protocol === 'connect') {
    headers['content-type'] = 'application/proto';
    if (gzip) headers['content-encoding'] = 'gzip';
  } else {
    headers['content-type'] =
      input.protocol === 'grpc' ? 'application/grpc' : 'application/grpc-web+proto';
    if (gzip) headers['grpc-encoding'] = 'gzip';
    body = frame(data, gzip, input.framing);
  }
  const res = await rawRequest(session, { path: EXPORT_PATHS[input.signal], body, headers });
  if (input.protocol === 'connect') {
    if (res.status !== 200) {
      const json = JSON.parse(new TextDecoder().decode(res.body)) as {
        code: string;
        message?: string;
      };
      return { code: codeOf(json.code), rejected: undefined, message: json.message ?? '' };
    }
    // The answer comes in the request's encoding (as grpc-go answers).
    const answer = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.body) : res.body;
    return { code: Code.Ok, rejected: rejected(input.signal, answer), message: '' };
  }
  const frames = envelopes(res.body);
  let code = res.grpcStatus;
  let message = res.grpcMessage ?? '';
  const trailer = frames.find((f) => f.flags === 0x80);
  if (trailer !== undefined) {
    const text = new TextDecoder().decode(trailer.data);
    code = Number(/grpc-status: *(\d+)/.exec(text)?.[1]);
    message = decodeURIComponent(/grpc-message: *([^\r\n]*)/.exec(text)?.[1] ?? '');
  }
  const first = frames.find((f) => f.flags !== 0x80);
  // A compressed answer (flag 1) is in the request's encoding, gzip here.
  const answer = first && (first.flags & 1 ? gunzipSync(first.data) : first.data);
  return {
    code: code ?? -1,
    rejected: code === Code.Ok && answer ? rejected(input.signal, answer) : undefined,
    message,
  };
}

function frame(data: Uint8Array, gzip: boolean, framing: FuzzInput['framing']): Uint8Array {
  const out = new Uint8Array(5 + data.length + (framing === 'extra' ? 2 : 0));
  out[0] = (gzip ? 1 : 0) | (framing === 'flags' ? 0x04 : 0);
  new DataView(out.buffer).setUint32(1, data.length + (framing === 'short' ? 3 : 0));
  out.set(data, 5);
  return out;
}

function envelopes(body: Uint8Array): { flags: number; data: Uint8Array }[] {
  const out: { flags: number; data: Uint8Array }[] = [];
  for (let i = 0; i + 5 <= body.length; ) {
    const length = new DataView(body.buffer, body.byteOffset + i).getUint32(1);
    out.push({ flags: body[i]!, data: body.subarray(i + 5, i + 5 + length) });
    i += 5 + length;
  }
  return out;
}

function rejected(signal: FuzzSignal, data: Uint8Array): number {
  const p = (fromBinary(RESPONSES[signal], data) as { partialSuccess?: object }).partialSuccess as
    | Record<string, unknown>
    | undefined;
  if (p === undefined) return 0;
  const n = Object.entries(p).find(([k]) => k.startsWith('rejected'))?.[1];
  return Number(n ?? 0);
}

const CODES: Record<string, Code> = {
  invalid_argument: Code.InvalidArgument,
  resource_exhausted: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
  internal: Code.Internal,
  unknown: Code.Unknown,
  unimplemented: Code.Unimplemented,
};

function codeOf(name: string): number {
  return CODES[name] ?? -1;
}
