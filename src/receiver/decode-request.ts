import {
  type DescMessage,
  fromBinary,
  fromJsonString,
  type MessageShape,
} from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import {
  type Compression,
  compressedFlag,
  type EnvelopedMessage,
  readAllBytes,
} from '@connectrpc/connect/protocol';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { type ScannedRequest, scanRequest } from './item-scan.js';
import type { RequestFormat } from './request-format.js';

/**
 * A request message decoded by the receiver, with its size for the byte counters. Binary
 * trace and logs requests are only scanned (validated on the wire and indexed, see
 * item-scan.ts): `scan` is set and `message` is not, so spans cost a scan, not a decode.
 */
export interface DecodedRequest<Desc extends DescMessage = DescMessage> {
  message?: MessageShape<Desc>;
  scan?: ScannedRequest;
  /** Serialized message bytes after decompression. */
  bytes: number;
}

/** What {@link decodeRequestBody} needs besides the body. */
export interface DecodeOptions {
  format: RequestFormat;
  /** The negotiated request compression; null for identity. */
  compression: Compression | null;
  /** Largest message accepted, compressed and decompressed alike. */
  readMaxBytes: number;
  /** The request's content-length header, checked against the body by Connect unary. */
  contentLength: string | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and decodes a unary request body, throwing a ConnectError whose code is the one
 * gRPC prescribes: RESOURCE_EXHAUSTED past the size limit, INVALID_ARGUMENT for anything
 * malformed (framing, compression, protobuf), with a message saying what was wrong.
 * connect-node decodes requests itself, but reports a protobuf that fails to parse as
 * INTERNAL, which tells an exporter the server broke when the exporter did.
 */
export async function decodeRequestBody<Desc extends DescMessage>(
  schema: Desc,
  body: AsyncIterable<Uint8Array>,
  options: DecodeOptions,
): Promise<DecodedRequest<Desc>> {
  const { format, compression, readMaxBytes } = options;
  let payload: Uint8Array;
  if (format.enveloped) {
    const envelope = await readSingleEnvelope(body, readMaxBytes);
    payload = envelope.data;
    if ((envelope.flags & compressedFlag) !== 0) {
      if (compression === null) {
        throw new ConnectError(
          `message has the compressed flag set, but the request has no ${format.encodingHeader} header`,
          Code.InvalidArgument,
        );
      }
      payload = await compression.decompress(payload, readMaxBytes);
    }
  } else {
    payload = await readAllBytes(body, readMaxBytes, options.contentLength);
    if (compression !== null) payload = await compression.decompress(payload, readMaxBytes);
  }
  if (format.binary) {
    const signal =
      schema.typeName === ExportTraceServiceRequestSchema.typeName
        ? 'traces'
        : schema.typeName === ExportLogsServiceRequestSchema.typeName
          ? 'logs'
          : undefined;
    if (signal !== undefined) {
      try {
        return { scan: scanRequest(signal, payload), bytes: payload.byteLength };
      } catch (e) {
        throw decodeError(schema, payload, true, e);
      }
    }
  }
  return { message: parse(schema, payload, format.binary), bytes: payload.byteLength };
}

/**
 * Reads the single envelope of a unary request straight from the body chunks into a
 * buffer of the size its header announces. connect's transformSplitEnvelope would pass
 * every chunk through another async generator and an envelope decoder: about a tenth of
 * the receiver's time for a 330 KB request. The checks and messages are connect's.
 */
async function readSingleEnvelope(
  body: AsyncIterable<Uint8Array>,
  readMaxBytes: number,
): Promise<EnvelopedMessage> {
  const header = new Uint8Array(5);
  let have = 0; // bytes of the current envelope's header, 5 once it is complete
  let want = 0; // its data length
  let data = new Uint8Array(0); // its data (only the first envelope's is kept)
  let filled = 0;
  let found: EnvelopedMessage | undefined;
  // The current envelope is complete: keep the first, refuse a second.
  const complete = () => {
    if (found !== undefined) {
      throw new ConnectError(
        'unary call received more than one request message',
        Code.InvalidArgument,
      );
    }
    const flags = header[0]!;
    if ((flags & ~compressedFlag) !== 0) {
      throw new ConnectError(
        `invalid message flags 0x${flags.toString(16).padStart(2, '0')}: only 0x00 and 0x01 are defined for requests`,
        Code.InvalidArgument,
      );
    }
    found = { flags, data };
    have = 0;
  };
  for await (const chunk of body) {
    for (let at = 0; at < chunk.length; ) {
      if (have < 5) {
        const n = Math.min(5 - have, chunk.length - at);
        header.set(chunk.subarray(at, at + n), have);
        have += n;
        at += n;
        if (have < 5) break;
        want = new DataView(header.buffer).getUint32(1);
        if (want > readMaxBytes) {
          throw new ConnectError(
            `message size ${want} is larger than configured readMaxBytes ${readMaxBytes}`,
            Code.ResourceExhausted,
          );
        }
        data = new Uint8Array(found === undefined ? want : 0);
        filled = 0;
      } else {
        const n = Math.min(want - filled, chunk.length - at);
        if (found === undefined) data.set(chunk.subarray(at, at + n), filled);
        filled += n;
        at += n;
      }
      if (filled === want) complete();
    }
  }
  if (have > 0) {
    throw new ConnectError('protocol error: incomplete envelope', Code.InvalidArgument);
  }
  if (found === undefined) {
    throw new ConnectError('request body holds no message', Code.InvalidArgument);
  }
  return found;
}

function parse<Desc extends DescMessage>(
  schema: Desc,
  payload: Uint8Array,
  binary: boolean,
): MessageShape<Desc> {
  try {
    if (binary) return fromBinary(schema, payload);
    return fromJsonString(schema, utf8.decode(payload), { ignoreUnknownFields: true });
  } catch (e) {
    throw decodeError(schema, payload, binary, e);
  }
}

function decodeError(
  schema: DescMessage,
  payload: Uint8Array,
  binary: boolean,
  e: unknown,
): ConnectError {
  const reason = e instanceof Error ? e.message : String(e);
  return new ConnectError(
    `cannot decode ${schema.typeName} from ${binary ? 'protobuf' : 'JSON'} (${payload.byteLength} bytes): ${reason}`,
    Code.InvalidArgument,
    undefined,
    undefined,
    e,
  );
}
