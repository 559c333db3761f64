import { isOtlpError, type OtlpError } from '../../src/core/otlp-error.js';

/** The OtlpError `fn` throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): OtlpError {
  try {
    fn();
  } catch (error) {
    if (isOtlpError(error)) return error;
    throw error;
  }
  throw new Error('did not throw');
}
