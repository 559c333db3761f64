import { decodeUtf8 } from './web-text.js';

/**
 * Parses a grpc-web trailer frame's "name: value\r\n" block into a map with lowercased
 * names, because gRPC-web carries the status inside the body (browsers cannot read HTTP
 * trailers). Lines without a name before a colon are ignored; a repeated name keeps its
 * last value (the names gRPC reads appear once). A `Map` is a {@link HeaderGetter}.
 */
export function parseTrailerBlock(data: Uint8Array): Map<string, string> {
  const trailers = new Map<string, string>();
  for (const line of decodeUtf8(data).split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return trailers;
}
