import { describe, expect, it, vi } from 'vitest';
import { Code } from '../../src/core/code.js';
import { createExportCore } from '../../src/core/export-core.js';
import type { ExportOptions } from '../../src/core/export-options.js';
import { serviceCodec } from '../../src/protocol/encoded-codec.js';
import { createFakeRuntime, createScriptedTransport, flushMicrotasks } from './core-fakes.js';

const bytes = (n: number) => ({ bytes: new Uint8Array(n).fill(7), count: n / 10 });
const ok = () => ({ code: Code.Ok, message: '' });

/** An export core whose answers wait until the test opens them, so requests stay in flight. */
function setup(extra: Partial<ExportOptions> = {}) {
  const gates: (() => void)[] = [];
  const transport = createScriptedTransport(
    () => new Promise((resolve) => gates.push(() => resolve(ok()))),
  );
  const onError = vi.fn();
  const core = createExportCore({
    codec: serviceCodec('traces', 'trace.v1.TraceService'),
    transport,
    endpoints: ['http://a'],
    runtime: createFakeRuntime(),
    keepaliveBudgetBytes: 100,
    onError,
    ...extra,
  });
  const openAll = async () => {
    while (gates.length) {
      gates.shift()!();
      await flushMicrotasks();
    }
  };
  return { core, transport, onError, openAll };
}

describe('page unload: what cannot fit the keepalive budget', () => {
  it('is dropped and counted (unload) at once while the page unloads, never held', async () => {
    const { core, transport, onError, openAll } = setup({ unloading: () => true });
    const done = core.export([bytes(60), bytes(30), bytes(40)], true);
    await flushMicrotasks();
    // 60 + 30 fit the 100 bytes; 40 more would not.
    expect(transport.requests.map((r) => [r.body.length, r.keepalive])).toEqual([
      [60, true],
      [30, true],
    ]);
    expect(core.heldRequests).toBe(0);
    expect(core.metrics()).toMatchObject({ queuedItems: 0, deferredItems: 0 });
    expect(core.metrics().droppedByReason.unload).toBe(4);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0].message).toMatch(
      /traces export of 4 items not sent: page unloading, keepalive budget \(100 bytes\) spent/,
    );
    expect(onError.mock.calls[0]![1]).toEqual({ signal: 'traces', items: 4, reason: 'unload' });
    await openAll();
    const outcomes = await done;
    expect(outcomes.map((o) => o.dropReason)).toEqual([undefined, undefined, 'unload']);
  });

  it('is held for the next flush while the page is only hidden', async () => {
    const { core, openAll } = setup({ unloading: () => false });
    const done = core.export([bytes(60), bytes(50)], true);
    await flushMicrotasks();
    expect(core.heldRequests).toBe(1);
    expect(core.metrics().droppedByReason.unload).toBe(0);
    await openAll();
    await done;
  });

  it('is measured compressed: the unload compression makes it fit', async () => {
    const atUnload = { name: 'gzip', compress: vi.fn(async (d: Uint8Array) => d.subarray(0, 20)) };
    const ordinary = { name: 'gzip', compress: vi.fn(async (d: Uint8Array) => d.subarray(0, 50)) };
    const { core, transport, openAll } = setup({
      unloading: () => true,
      compression: ordinary,
      compressionMinBytes: 0,
      keepaliveCompression: () => atUnload,
    });
    const done = core.export([bytes(60), bytes(80), bytes(90)], true);
    await flushMicrotasks();
    // 60 raw bytes each would not fit 100 together; 20 compressed do.
    expect(transport.requests.map((r) => [r.body.length, r.encoding])).toEqual([
      [20, 'gzip'],
      [20, 'gzip'],
      [20, 'gzip'],
    ]);
    expect(ordinary.compress).not.toHaveBeenCalled();
    expect(core.metrics().droppedByReason.unload).toBe(0);
    await openAll();
    await done;
  });

  it('uses no unload compression unless it is the encoding in use', async () => {
    const atUnload = { name: 'gzip', compress: vi.fn(async (d: Uint8Array) => d) };
    const { core, transport, openAll } = setup({
      keepaliveCompression: () => atUnload,
      compressionMinBytes: 0,
    });
    const done = core.export([bytes(20)], true);
    await flushMicrotasks();
    expect(transport.requests[0]).toMatchObject({ encoding: 'identity', keepalive: true });
    expect(atUnload.compress).not.toHaveBeenCalled();
    await openAll();
    await done;
  });
});

describe('keepaliveWhenFits (pages): ordinary requests', () => {
  it('go with keepalive while they fit the budget, and without it past the budget, never held', async () => {
    const { core, transport, openAll } = setup({ keepaliveWhenFits: true });
    for (const n of [60, 50, 30]) void core.send(bytes(n), false);
    await flushMicrotasks();
    expect(transport.requests.map((r) => [r.body.length, r.keepalive])).toEqual([
      [60, true],
      [50, false],
      [30, true],
    ]);
    // An answer frees its bytes from the budget.
    await openAll();
    void core.send(bytes(90), false);
    await flushMicrotasks();
    expect(transport.requests.at(-1)).toMatchObject({ keepalive: true });
    expect(core.heldRequests).toBe(0);
    await openAll();
  });

  it('without it, ordinary requests never use keepalive', async () => {
    const { core, transport, openAll } = setup();
    void core.send(bytes(10), false);
    await flushMicrotasks();
    expect(transport.requests[0]!.keepalive).toBe(false);
    await openAll();
  });
});
