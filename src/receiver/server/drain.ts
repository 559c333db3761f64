/**
 * Counts requests being served so that shutdown can wait for them: a graceful close stops
 * new connections, lets every call already received finish, and only then flushes and
 * exits, so nothing a client saw acknowledged is lost.
 */
export interface Drain {
  /** Marks a request as started; call the returned function once it has finished. */
  enter(): () => void;
  /** Requests being served now. */
  active(): number;
  /** True once {@link whenIdle} was called: responses should close their HTTP/1.1 connection. */
  readonly draining: boolean;
  /** Starts draining and resolves as soon as no request is being served. */
  whenIdle(): Promise<void>;
}

/** Creates a {@link Drain}. */
export function createDrain(): Drain {
  let active = 0;
  let draining = false;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (active > 0) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  return {
    enter() {
      active++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        active--;
        settle();
      };
    },
    active: () => active,
    get draining() {
      return draining;
    },
    whenIdle() {
      draining = true;
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
  };
}
