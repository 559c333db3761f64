/**
 * Lets one caller through per event-loop turn, in call order: the first at once, each
 * next one in a later check phase (setImmediate). node:http2 writes a stream's frames in
 * the check phase too, before the immediates, so between two callers the earlier one's
 * request goes out. The native transport gives it to the exporters as `turn`: a
 * BatchSpanProcessor flush hands over every queued batch in one go, and without the gate
 * all of them would be encoded before the first byte is sent, leaving the server idle
 * meanwhile (bench/grpc-e2e-bench.mjs).
 */
export function createTurnGate(): () => Promise<void> {
  const waiting: (() => void)[] = [];
  let open = true;
  const next = () => {
    const release = waiting.shift();
    if (release) {
      setImmediate(next);
      release();
    } else open = true;
  };
  return () => {
    if (waiting.length === 0 && open) {
      open = false;
      setImmediate(next);
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
}
