import type { Attributes } from '@opentelemetry/api';

/**
 * The HTTP server semantic-convention attributes known when a request arrives:
 * http.request.method, url.full (credentials removed, as the conventions require),
 * url.path, url.query, url.scheme, server.address, server.port, user_agent.original.
 */
export function requestAttributes(request: Request): Attributes {
  const url = new URL(request.url);
  url.username = '';
  url.password = '';
  const attributes: Attributes = {
    'http.request.method': request.method,
    'url.full': url.href,
    'url.path': url.pathname,
    'url.scheme': url.protocol.replace(/:$/, ''),
    'server.address': url.hostname,
  };
  if (url.search) attributes['url.query'] = url.search.slice(1);
  if (url.port) attributes['server.port'] = Number(url.port);
  const agent = request.headers.get('user-agent');
  if (agent) attributes['user_agent.original'] = agent;
  return attributes;
}
