import { INVALID_ARGUMENT } from './code.js';
import { OtlpError } from './otlp-error.js';

/**
 * Fills numeric options in from `defaults` and refuses values that cannot work, naming
 * the option: "option "maxBatchItems" must be a number >= 1, got 0". One table per
 * layer instead of a call per option keeps every message alike and the bundle small.
 * `zeroOk` lists the options that may be 0; all others must be >= 1.
 */
export function numberOptions<K extends string>(
  given: { readonly [P in NoInfer<K>]?: number | undefined },
  defaults: Record<K, number>,
  zeroOk: readonly string[] = [],
  prefix = '',
): Record<K, number> {
  const out = { ...defaults };
  for (const name in defaults) {
    const value = given[name];
    if (value === undefined) continue;
    const min = zeroOk.includes(name) ? 0 : 1;
    if (typeof value !== 'number' || !(value >= min)) {
      throw new OtlpError(
        `option "${prefix}${name}" must be a number >= ${min}, got ${String(value)}`,
        INVALID_ARGUMENT,
      );
    }
    out[name] = value;
  }
  return out;
}
