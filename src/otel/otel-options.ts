import { INVALID_ARGUMENT } from '../core/code.js';
import type { HeadersOption } from '../core/export-options.js';
import { OtlpError } from '../core/otlp-error.js';
import { consoleWarn } from '../core/warn.js';

// Every option the exporters read (src/otel/exporter-options.ts, and the metric exporter's
// two), for the misspelling check.
const KNOWN =
  ' url transport compression compressionMinBytes timeoutMillis concurrencyLimit runtime maxStringBytes maxAttributeDepth headers userAgent maxRequestBytes keepaliveBudgetBytes retry circuitBreaker onError onPartialSuccess strict temporalityPreference aggregationPreference ';

/**
 * Reports a setting an exporter will not honour: a warning (the OpenTelemetry
 * specification's way for configuration), or an OtlpError(InvalidArgument) with `strict`.
 */
export function reportOption(key: string, why: string, strict: boolean | undefined): void {
  const error = new OtlpError(`option "${key}": ${why}`, INVALID_ARGUMENT);
  if (strict) throw error;
  consoleWarn(`otlp-grpc-web: ${error.rawMessage}; ignored`);
}

/**
 * Keeps the options an exporter reads and reports every other key, so that a typo such
 * as `heders` (which would drop the auth header) is never lost silently. OpenTelemetry
 * options with a meaning only in Node are handled, or named with the alternative, by
 * the `otlp-grpc-web/node` exporters before they get here (src/node/otel-compat.ts).
 * The Node and edge exporters check; the browser entry's do not, to keep the browser
 * bundle within its budget (TypeScript's excess-property check catches typos there).
 */
export function checkOptions<O extends { strict?: boolean }>(options: O): O {
  const out: Record<string, unknown> = {};
  for (const key in options) {
    if (KNOWN.includes(` ${key} `)) out[key] = options[key];
    else if (options[key] !== undefined) reportOption(key, 'unknown (misspelled?)', options.strict);
  }
  return out as O;
}

/**
 * Headers merged by name, as in OpenTelemetry's exporters: `over` wins for a name both
 * set; either may be computed per attempt.
 */
export function mergeHeaders(
  under: HeadersOption | undefined,
  over: HeadersOption | undefined,
): HeadersOption | undefined {
  if (!under || !over) return under ?? over;
  if (typeof under !== 'function' && typeof over !== 'function') return { ...under, ...over };
  const read = async (h: HeadersOption) => (typeof h === 'function' ? h() : h);
  return async () => ({ ...(await read(under)), ...(await read(over)) });
}
