import {
  create,
  type DescMessage,
  fromBinary,
  fromJsonString,
  type MessageInitShape,
  type MessageShape,
  toBinary,
  toJsonString,
} from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * The one decoder of every request message, binary or JSON, for every method and
 * protocol: what it accepts is what the receiver stores and what the query service
 * returns, so no later step can fail on a request this one took. A message that does
 * not parse is INVALID_ARGUMENT naming the type and the reason (connect-node answers
 * INTERNAL, which tells an exporter the server broke when the exporter did). Unknown
 * fields are skipped, not kept: nothing reads them, and keeping them cost a million
 * objects for a 4 MiB request of tiny unknown fields.
 */
export function decodeMessage<D extends DescMessage>(
  schema: D,
  payload: Uint8Array,
  binary: boolean,
): MessageShape<D> {
  try {
    if (binary) return fromBinary(schema, payload, { readUnknownFields: false });
    return fromJsonString(schema, utf8.decode(payload), { ignoreUnknownFields: true });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ConnectError(
      `cannot decode ${schema.typeName} from ${binary ? 'protobuf' : 'JSON'} (${payload.byteLength} bytes): ${reason}`,
      Code.InvalidArgument,
      undefined,
      undefined,
      e,
    );
  }
}

/** A response message serialized in the request's format. */
export function encodeMessage<D extends DescMessage>(
  schema: D,
  init: MessageInitShape<D>,
  binary: boolean,
): Uint8Array {
  const message = create(schema, init);
  return binary ? toBinary(schema, message) : encoder.encode(toJsonString(schema, message));
}
