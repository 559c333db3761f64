/**
 * Runs CPU work on the event loop without letting costly requests starve cheap ones.
 * Work estimated below `heavyBytes` runs at once; heavier work (a large decompressed
 * message: decoding 4 MiB can take hundreds of ms) waits its turn in one queue and runs
 * one piece per event-loop turn, so ordinary calls are read and answered between them
 * instead of behind all of them.
 */
export interface WorkLane {
  run<T>(costBytes: number, work: () => T): Promise<T>;
  /** Heavy work waiting or running. */
  queued(): number;
}

/** Creates a {@link WorkLane}. */
export function createWorkLane(heavyBytes: number): WorkLane {
  const queue: (() => void)[] = [];
  let running = false;
  const next = () => {
    const job = queue.shift();
    if (job === undefined) {
      running = false;
      return;
    }
    running = true;
    // setImmediate: after the I/O callbacks that are due, so other calls get a turn.
    setImmediate(() => {
      job();
      next();
    });
  };
  return {
    run(costBytes, work) {
      if (costBytes < heavyBytes) {
        try {
          return Promise.resolve(work());
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return new Promise((resolve, reject) => {
        queue.push(() => {
          try {
            resolve(work());
          } catch (e) {
            reject(e);
          }
        });
        if (!running) next();
      });
    },
    queued: () => queue.length + (running ? 1 : 0),
  };
}
