/**
 * A RegExp matching the requests an exporter sends to `url` (one or several), for
 * @opentelemetry/instrumentation-fetch's `ignoreUrls`, so that exporting spans does not
 * create spans of its own, an endless loop. Instrumentation compares plain strings for
 * equality, hence a pattern: the request URL is the base URL plus the gRPC method path.
 *
 * @example
 * registerInstrumentations({
 *   instrumentations: [new FetchInstrumentation({ ignoreUrls: [exporterUrlPattern(url)] })],
 * });
 */
export function exporterUrlPattern(url: string | readonly string[]): RegExp {
  const bases = (typeof url === 'string' ? [url] : url).map((u) =>
    u.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  return new RegExp(`^(?:${bases.join('|')})/opentelemetry\\.proto\\.collector\\.`);
}
