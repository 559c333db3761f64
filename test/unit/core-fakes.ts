import type { Runtime } from '../../src/core/runtime.js';
import type { SignalCodec } from '../../src/core/signal-codec.js';
import type { Transport, TransportRequest, TransportResult } from '../../src/core/transport.js';

/** A manual clock: time moves only when the test advances it. */
export function createFakeRuntime(random = () => 0.5) {
  let now = 0;
  let seq = 0;
  const timers: { at: number; seq: number; fn: () => void }[] = [];
  const runtime: Runtime & {
    advance(ms: number): Promise<void>;
    pending(): number;
    sleeps: number[];
  } = {
    sleeps: [],
    now: () => now,
    random,
    sleep(ms) {
      runtime.sleeps.push(ms);
      return new Promise((resolve) => timers.push({ at: now + ms, seq: seq++, fn: resolve }));
    },
    setTimer(fn, ms) {
      const t = { at: now + ms, seq: seq++, fn };
      timers.push(t);
      return {
        cancel: () =>
          timers.splice(timers.indexOf(t) >>> 0, timers.includes(t) ? 1 : 0) && undefined,
      };
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await flushMicrotasks();
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = next.at;
        next.fn();
      }
      now = end;
      await flushMicrotasks();
    },
    pending: () => timers.length,
  };
  return runtime;
}

export async function flushMicrotasks() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** A transport answering from a script; records every request. */
export function createScriptedTransport(
  script: (req: TransportRequest, n: number) => TransportResult | Promise<TransportResult>,
) {
  const requests: TransportRequest[] = [];
  let closed = 0;
  const transport: Transport & { requests: TransportRequest[]; closed: () => number } = {
    name: 'fake',
    requests,
    closed: () => closed,
    async send(req) {
      requests.push(req);
      return script(req, requests.length);
    },
    async close() {
      closed++;
    },
  };
  return transport;
}

/** Values are numbers; each number is one item of `size` bytes, encoded as bytes of its value. */
export function numberCodec(size = 10): SignalCodec<number> {
  return {
    signal: 'traces',
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    count: () => 1,
    size: () => size,
    encode: (values) => new Uint8Array(values.flatMap((v) => new Array(size).fill(v & 0xff))),
    decodeResponse: (body) => ({
      rejected: body[0] ?? 0,
      message: body.length ? 'some rejected' : '',
    }),
  };
}

export const ok = (): TransportResult => ({ code: 0, message: '' });
