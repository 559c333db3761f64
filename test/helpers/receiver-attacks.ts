// Requests an attacker would send the receiver, built byte by byte: protobuf no client
// library would write, and small gzip bodies that inflate into costly messages.
import * as net from 'node:net';
import { gzipSync } from 'node:zlib';

/** One protobuf length-delimited field: tag byte, varint length, bytes. */
export function field(tag: number, inner: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = inner.length;
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    len.push(b);
  } while (n);
  return new Uint8Array(Buffer.concat([Uint8Array.of(tag), Uint8Array.from(len), inner]));
}

/** An ExportTraceServiceRequest with one valid span whose body ends with `extra` fields. */
export function spanRequest(extra: Uint8Array, name = 'attack'): Uint8Array {
  const span = field(
    0x12,
    Buffer.concat([
      field(0x0a, new Uint8Array(16).fill(7)),
      field(0x12, new Uint8Array(8).fill(9)),
      field(0x2a, new TextEncoder().encode(name)),
      extra,
    ]),
  );
  return field(0x0a, field(0x12, span));
}

/** `count` copies of the two bytes `a b`, e.g. empty attributes (0x4a 0x00). */
export function repeated(count: number, a: number, b: number): Uint8Array {
  const out = new Uint8Array(2 * count);
  for (let i = 0; i < count; i++) {
    out[2 * i] = a;
    out[2 * i + 1] = b;
  }
  return out;
}

/** A request of `count` empty attributes on one span, gzipped (about 2 KB per million). */
export function emptyAttributesBomb(count: number): Uint8Array {
  return gzipSync(spanRequest(repeated(count, 0x4a, 0x00)));
}

/** A request of `count` unknown varint fields (field 2 of the request), gzipped. */
export function unknownFieldsBomb(count: number): Uint8Array {
  return gzipSync(repeated(count, 0x10, 0x00));
}

/** A gRPC message envelope with the compressed flag. */
export function gzipEnvelope(compressed: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(5 + compressed.length);
  out[0] = 1;
  new DataView(out.buffer).setUint32(1, compressed.length);
  out.set(compressed, 5);
  return out;
}

/** Opens a TCP connection and resolves once connected. */
export function openSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Resolves once `socket` is closed by the other side (or errors). */
export function whenClosed(socket: net.Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  socket.on('error', () => {});
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
