/**
 * Parses a grpc-web trailer frame's "name: value\r\n" block into a map with lowercased
 * names, because gRPC-web carries the status inside the body (browsers cannot read HTTP
 * trailers). The block is ASCII. Lines without a colon are ignored; a repeated name keeps
 * both values joined by ", ", as HTTP does. A `Map` is a {@link HeaderGetter}.
 */
export function parseTrailerBlock(data: Uint8Array): Map<string, string> {
  const trailers = new Map<string, string>();
  let text = '';
  for (const b of data) text += String.fromCharCode(b);
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = trailers.get(name);
    trailers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return trailers;
}
