/**
 * Joins byte arrays into one. Serialized OTLP export requests concatenate into one valid
 * request (their only field is repeated), so this is how a batch of pre-encoded parts
 * becomes a request body.
 */
export function concatBytes(parts: readonly { bytes: Uint8Array }[]): Uint8Array {
  if (parts.length === 1) return parts[0]!.bytes;
  let length = 0;
  for (const part of parts) length += part.bytes.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part.bytes, offset);
    offset += part.bytes.length;
  }
  return out;
}
