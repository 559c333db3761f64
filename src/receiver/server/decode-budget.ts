import type { DescMessage } from '@bufbuild/protobuf';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/** Estimated heap bytes per decoded sub-message (object, its slots, type name). */
const MESSAGE_BYTES = 96;
/** Estimated heap bytes per other field (a slot, a string or a view). */
const FIELD_BYTES = 24;

/**
 * The memory a message would take once decoded, estimated from its bytes without building
 * it: in protobuf, sub-messages and fields are counted against the schema; in JSON, the
 * objects and arrays. A few KB
 * of gzip can inflate to a million empty attributes, 4 MiB that cost a second of CPU and
 * over 100 MB to decode; counting them costs a few ms and allocates nothing, so such a
 * request is refused before it is decoded. The count never decides what is valid: on
 * bytes it cannot follow it stops and returns what it counted, and the decoder (the only
 * one, decode-message.ts) gives its verdict.
 */
export function estimateDecodedBytes(
  schema: DescMessage,
  payload: Uint8Array,
  binary: boolean,
): number {
  if (!binary) return payload.byteLength + MESSAGE_BYTES * 2 * jsonObjects(payload);
  const reader = new BinaryReader(payload);
  let total = payload.byteLength;
  try {
    total += walk(schema, reader, payload.byteLength, 0);
  } catch {
    // Malformed: the decoder will say so.
  }
  return total;
}

function walk(schema: DescMessage, reader: BinaryReader, end: number, depth: number): number {
  if (depth > 100) return 0;
  const children = childMessages(schema);
  let bytes = 0;
  while (reader.pos < end) {
    const [no, wireType] = reader.tag();
    if (wireType !== WireType.LengthDelimited) {
      reader.skip(wireType, no);
      bytes += FIELD_BYTES;
      continue;
    }
    const length = reader.uint32();
    const start = reader.pos;
    const child = children.get(no);
    if (child !== undefined && start + length <= end) {
      bytes += MESSAGE_BYTES + walk(child, reader, start + length, depth + 1);
    } else {
      bytes += FIELD_BYTES;
    }
    reader.pos = start + length;
  }
  return bytes;
}

/**
 * Objects and arrays in a JSON text, at most: its `{` and `[` bytes (some may sit inside
 * strings, which only overestimates). Each costs twice: once parsed, once as a message.
 */
function jsonObjects(payload: Uint8Array): number {
  let n = 0;
  for (const b of payload) if (b === 0x7b || b === 0x5b) n++;
  return n;
}

const cache = new WeakMap<DescMessage, Map<number, DescMessage>>();

/** The message type of each field number that holds messages, single or repeated. */
function childMessages(schema: DescMessage): Map<number, DescMessage> {
  let map = cache.get(schema);
  if (map === undefined) {
    map = new Map();
    for (const f of schema.fields) {
      if (f.fieldKind === 'message') map.set(f.number, f.message);
      else if (f.fieldKind === 'list' && f.listKind === 'message') map.set(f.number, f.message);
    }
    cache.set(schema, map);
  }
  return map;
}
