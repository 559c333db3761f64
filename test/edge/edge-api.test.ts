// The edge API in Node, with fake exporters and a fake ExecutionContext: configuration
// errors, traceparent parsing, one export per signal per request inside waitUntil, no
// timers, concurrent requests kept apart.
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Code } from '../../src/core/code.js';
import {
  createBackgroundTasks,
  createEdgeExporters,
  type FlushReport,
  instrumentFetchHandler,
  parentFromHeaders,
} from '../../src/edge/index.js';
import type { ExportResult } from '../../src/otel/exporter-options.js';
import { thrown } from '../helpers/thrown.js';

const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' };

describe('createEdgeExporters', () => {
  it.each([
    [{}, 'no OTLP endpoint for traces: set the OTEL_EXPORTER_OTLP_ENDPOINT binding'],
    [
      { ...ENDPOINT, OTEL_EXPORTER_OTLP_TIMEOUT: '30000' },
      'export deadline of 30000 ms (timeoutMillis or OTEL_EXPORTER_OTLP_TIMEOUT) is not shorter than the 30000 ms waitUntil budget',
    ],
    [
      { ...ENDPOINT, OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf' },
      'PROTOCOL (OTEL_EXPORTER_OTLP_LOGS_* or OTEL_EXPORTER_OTLP_*) is "http/protobuf"',
    ],
    [
      { ...ENDPOINT, OTEL_EXPORTER_OTLP_CERTIFICATE: '/etc/ca.pem' },
      'name files, which edge runtimes cannot read',
    ],
    [{ ...ENDPOINT, OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' }, 'OTEL_EXPORTER_OTLP_TIMEOUT="soon"'],
  ])('refuses %j, naming what is wrong', (env, message) => {
    const error = thrown(() => createEdgeExporters(env, { strict: true }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toContain(message);
  });

  it('without strict, warns naming a malformed or unusable variable and goes on with the default', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const env = {
        ...ENDPOINT,
        OTEL_EXPORTER_OTLP_TIMEOUT: 'soon',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_CERTIFICATE: '/etc/ca.pem',
      };
      expect(() => createEdgeExporters(env)).not.toThrow();
      const messages = warn.mock.calls.map((call) => String(call[0])).join('\n');
      expect(messages).toContain('OTEL_EXPORTER_OTLP_TIMEOUT="soon" is invalid');
      expect(messages).toContain('is "http/protobuf"');
      expect(messages).toContain('name files, which edge runtimes cannot read');
      expect(() => createEdgeExporters({})).toThrow(/no OTLP endpoint for traces/);
    } finally {
      warn.mockRestore();
    }
  });

  it('takes a deadline under the budget, and a smaller budget from options', () => {
    expect(() =>
      createEdgeExporters({ ...ENDPOINT, OTEL_EXPORTER_OTLP_TIMEOUT: '29999' }),
    ).not.toThrow();
    expect(() => createEdgeExporters(ENDPOINT, { budgetMs: 5000 })).toThrow(
      /10000 ms .* 5000 ms waitUntil budget/,
    );
  });

  it('ignores bindings that are not strings (KV namespaces, service bindings)', () => {
    expect(() =>
      createEdgeExporters({ ...ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS: { kv: true } }),
    ).not.toThrow();
  });
});

describe('parentFromHeaders', () => {
  const id = '4bf92f3577b34da6a3ce929d0e0e4736';
  const span = '00f067aa0ba902b7';
  const parent = (value: string) =>
    trace.getSpanContext(parentFromHeaders(new Headers({ traceparent: value })));

  it('continues a valid traceparent, remote, with its sampled flag', () => {
    expect(parent(`00-${id}-${span}-01`)).toEqual({
      traceId: id,
      spanId: span,
      traceFlags: 1,
      isRemote: true,
    });
    expect(parent(`00-${id.toUpperCase()}-${span}-00`)?.traceFlags).toBe(0);
    // A future version may append fields.
    expect(parent(`cc-${id}-${span}-01-extra`)?.traceId).toBe(id);
  });

  it('keeps the tracestate of a valid traceparent', () => {
    const context = parentFromHeaders(
      new Headers({ traceparent: `00-${id}-${span}-01`, tracestate: 'vendor=opaque,other=1' }),
    );
    expect(trace.getSpanContext(context)?.traceState?.get('vendor')).toBe('opaque');
    expect(trace.getSpanContext(context)?.traceState?.serialize()).toBe('vendor=opaque,other=1');
  });

  it.each([
    '',
    `00-${'0'.repeat(32)}-${span}-01`,
    `00-${id}-${'0'.repeat(16)}-01`,
    `ff-${id}-${span}-01`,
    `00-${id}-${span}-01-extra`,
    `00-${id.slice(1)}-${span}-01`,
    'garbage',
  ])('starts a new trace for %j', (value) => {
    expect(parent(value)).toBeUndefined();
  });
});

/** Exporters that record each export call and answer `result`. */
function fakeExporters(result: ExportResult = { code: 0 }) {
  const calls: {
    signal: string;
    items: { name?: string; body?: unknown; spanContext?: () => { traceId: string } }[];
  }[] = [];
  const exporter = (signal: string) => ({
    export(items: never[], done: (r: ExportResult) => void) {
      calls.push({ signal, items });
      queueMicrotask(() => done(result));
    },
  });
  return {
    calls,
    exporters: { traces: exporter('traces'), logs: exporter('logs') },
  };
}

function fakeContext() {
  const waited: Promise<unknown>[] = [];
  return { waited, ctx: { waitUntil: (p: Promise<unknown>) => void waited.push(p) } };
}

afterEach(() => vi.restoreAllMocks());

describe('instrumentFetchHandler', () => {
  it('flushes spans and logs once per request inside waitUntil, with no timer', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const { calls, exporters } = fakeExporters();
    const makeExporters = vi.fn(() => exporters);
    const reports: FlushReport[][] = [];
    const fetch = instrumentFetchHandler(
      (_request, _env, _ctx, otel) => {
        otel.startSpan('child').end();
        otel.log('warn', 'careful');
        return new Response('ok');
      },
      { serviceName: 'unit', exporters: makeExporters, onFlush: (r) => reports.push(r) },
    );
    const env = {};
    const { waited, ctx } = fakeContext();
    await fetch(new Request('http://h/a'), env, ctx);
    await fetch(new Request('http://h/b'), env, ctx);
    // Per request: the flush, and onFlush after it, both handed to waitUntil.
    expect(waited).toHaveLength(4);
    await Promise.all(waited);
    expect(makeExporters).toHaveBeenCalledTimes(1); // per env (isolate), not per request
    expect(calls.map((c) => [c.signal, c.items.length])).toEqual([
      ['traces', 2],
      ['logs', 1],
      ['traces', 2],
      ['logs', 1],
    ]);
    expect(reports).toEqual([
      [
        { signal: 'traces', items: 2, ok: true },
        { signal: 'logs', items: 1, ok: true },
      ],
      [
        { signal: 'traces', items: 2, ok: true },
        { signal: 'logs', items: 1, ok: true },
      ],
    ]);
    expect(setTimeoutSpy).not.toHaveBeenCalled();
  });

  it('keeps concurrent requests apart', async () => {
    const { calls, exporters } = fakeExporters();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const fetch = instrumentFetchHandler(
      async (request, _env, _ctx, otel) => {
        const name = new URL(request.url).pathname;
        otel.startSpan(`before ${name}`).end();
        await gate;
        otel.startSpan(`after ${name}`).end();
        return new Response(name);
      },
      { serviceName: 'unit', exporters: () => exporters },
    );
    const { waited, ctx } = fakeContext();
    const both = Promise.all([
      fetch(new Request('http://h/a'), {}, ctx),
      fetch(new Request('http://h/b'), {}, ctx),
    ]);
    release();
    await both;
    await Promise.all(waited);
    const names = calls
      .filter((c) => c.signal === 'traces')
      .map((c) => c.items.map((s) => s.name).sort());
    expect(names).toEqual([
      ['GET', 'after /a', 'before /a'],
      ['GET', 'after /b', 'before /b'],
    ]);
  });

  it('still flushes when the handler throws, and rethrows', async () => {
    const { calls, exporters } = fakeExporters();
    const fetch = instrumentFetchHandler(
      () => {
        throw new TypeError('bad');
      },
      { serviceName: 'unit', exporters: () => exporters },
    );
    const { waited, ctx } = fakeContext();
    await expect(fetch(new Request('http://h/'), {}, ctx)).rejects.toThrow('bad');
    await Promise.all(waited);
    expect(calls.map((c) => [c.signal, c.items.length])).toEqual([['traces', 1]]);
  });

  it('reports a failed export in the flush report', async () => {
    const error = new Error('[UNAVAILABLE] down');
    const { exporters } = fakeExporters({ code: 1, error });
    const reports: FlushReport[][] = [];
    const fetch = instrumentFetchHandler(
      (_r, _e, _c, otel) => {
        otel.log('info', 'x');
        return new Response('');
      },
      {
        serviceName: 'unit',
        exporters: () => exporters,
        onFlush: (r) => reports.push(r),
      },
    );
    const { waited, ctx } = fakeContext();
    await fetch(new Request('http://h/'), {}, ctx);
    await Promise.all(waited);
    expect(reports).toEqual([
      [
        { signal: 'traces', items: 1, ok: false, error },
        { signal: 'logs', items: 1, ok: false, error },
      ],
    ]);
  });

  it('refuses an empty serviceName', () => {
    expect(() => instrumentFetchHandler(() => new Response(''), { serviceName: '' })).toThrow(
      /serviceName/,
    );
  });
});

describe('createBackgroundTasks', () => {
  it('drains every task, failed ones included', async () => {
    const tasks = createBackgroundTasks();
    let finish!: () => void;
    tasks.waitUntil(
      new Promise<void>((r) => {
        finish = r;
      }),
    );
    tasks.waitUntil(Promise.reject(new Error('ignored')));
    expect(tasks.pending).toBe(2);
    const drained = tasks.drain();
    finish();
    await drained;
    expect(tasks.pending).toBe(0);
  });
});
