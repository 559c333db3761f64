/**
 * Decodes UTF-8 without TextDecoder, which src/protocol may not use (it is a runtime API,
 * absent from the language itself); no bytes (undefined) decode to "". Percent-encoding
 * the bytes and letting decodeURIComponent do the work keeps it tiny; malformed input
 * falls back to a lossy decode (non-ASCII bytes become U+FFFD) instead of throwing.
 */
export function decodeUtf8(bytes: Uint8Array = new Uint8Array(0)): string {
  let escaped = '';
  let lossy = '';
  for (const b of bytes) {
    escaped += (b < 16 ? '%0' : '%') + b.toString(16);
    lossy += b < 128 ? String.fromCharCode(b) : '\ufffd';
  }
  try {
    return decodeURIComponent(escaped);
  } catch {
    return lossy;
  }
}
