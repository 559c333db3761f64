import { timingSafeEqual } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import type { HeaderReader } from './request-format.js';

/** Credentials a client must present. Both unset means no authentication. */
export interface AuthOptions {
  /**
   * When set, a request is accepted with the header `x-api-key: <apiKey>`.
   * @default undefined (not checked)
   */
  apiKey?: string | undefined;
  /**
   * When set, a request is accepted with the header `authorization: Bearer <bearerToken>`.
   * @default undefined (not checked)
   */
  bearerToken?: string | undefined;
}

/**
 * Returns the reason a request is refused, or undefined when it may proceed. When both an
 * API key and a bearer token are configured, either one suffices, so that a fleet can move
 * from one scheme to the other without a flag day.
 */
export type AuthCheck = (header: HeaderReader) => ConnectError | undefined;

/**
 * Creates the credential check run on every call (OTLP and query) before its body is
 * read: an unauthenticated client should not make the server decompress and parse
 * megabytes. It is applied ahead of connect's pipeline rather than as a connect
 * interceptor, because connect runs interceptors only after the request was parsed.
 */
export function createAuthCheck(options: AuthOptions): AuthCheck {
  const { apiKey, bearerToken } = options;
  if (apiKey === undefined && bearerToken === undefined) return () => undefined;
  const wanted: { header: string; value: string; read: (raw: string) => string }[] = [];
  if (apiKey !== undefined) wanted.push({ header: 'x-api-key', value: apiKey, read: (raw) => raw });
  if (bearerToken !== undefined) {
    wanted.push({ header: 'authorization', value: bearerToken, read: bearerCredentials });
  }
  const expected = wanted.map((w) => w.header).join(' or ');
  return (header) => {
    let presented = false;
    for (const w of wanted) {
      const got = header.get(w.header);
      if (got === null) continue;
      presented = true;
      if (constantTimeEqual(w.read(got), w.value)) return undefined;
    }
    return new ConnectError(
      presented ? `invalid credentials in ${expected}` : `missing credentials: send ${expected}`,
      Code.Unauthenticated,
    );
  };
}

/**
 * The credentials of an `authorization: Bearer <token>` header. The scheme name is
 * case-insensitive (RFC 9110, section 11.1): `bearer` and `BEARER` are the same scheme.
 * Anything else yields "", which no configured token equals.
 */
function bearerCredentials(raw: string): string {
  const match = /^bearer[ \t]+(.*?)[ \t]*$/i.exec(raw);
  return match?.[1] ?? '';
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
