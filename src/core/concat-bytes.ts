/**
 * Joins byte arrays into one (a lone array is returned as it is). Serialized OTLP export
 * requests concatenate into one valid request (their only field is repeated), so this is
 * how a batch of pre-encoded parts becomes a request body; byte streams are read into
 * chunks that it joins.
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
