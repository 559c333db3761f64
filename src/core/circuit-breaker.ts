/** Options of the circuit breaker; off unless given. */
export interface CircuitBreakerOptions {
  /** Consecutive failed exports (after their retries) that open the circuit. @default 5 */
  failureThreshold?: number;
  /** How long an open circuit sends nothing before one probe export, in ms. @default 30000 */
  cooldownMs?: number;
}

/**
 * Stops hammering a backend that keeps failing: after N consecutive failed exports the
 * circuit opens and nothing is sent for a cool-down (values keep queueing within the
 * limits); then one probe export decides whether to close it again or wait once more.
 */
export interface CircuitBreaker {
  readonly state: 'closed' | 'open' | 'half_open';
  /** Whether an export may start now; in half-open state, true once (the probe). */
  tryAcquire(now: number): boolean;
  /** When the circuit will allow a probe (only meaningful while open). */
  readonly reopensAt: number;
  success(): void;
  failure(now: number): void;
  /** Why an export is refused while open, for the message of the drop. */
  readonly refusal: string;
}

/** Creates a circuit breaker in the closed state. */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const threshold = options.failureThreshold ?? 5;
  const cooldown = options.cooldownMs ?? 30_000;
  let state: CircuitBreaker['state'] = 'closed';
  let failures = 0;
  let reopensAt = 0;
  let probing = false;
  return {
    refusal: `circuit breaker open after ${threshold} consecutive failed exports`,
    get state() {
      return state;
    },
    get reopensAt() {
      return reopensAt;
    },
    tryAcquire(now) {
      if (state === 'closed') return true;
      if (state === 'open' && now >= reopensAt) {
        state = 'half_open';
        probing = false;
      }
      if (state === 'half_open' && !probing) {
        probing = true;
        return true;
      }
      return false;
    },
    success() {
      state = 'closed';
      failures = 0;
      probing = false;
    },
    failure(now) {
      failures++;
      if (state === 'half_open' || failures >= threshold) {
        state = 'open';
        reopensAt = now + cooldown;
        probing = false;
      }
    },
  };
}
