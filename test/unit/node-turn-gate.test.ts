import { describe, expect, it } from 'vitest';
import type { Transport, TransportRequest } from '../../src/core/transport.js';
import { createTurnGate } from '../../src/node/turn-gate.js';
import { OTLPTraceExporter } from '../../src/web/index.js';
import { makeRealisticSpans } from './encode-fixtures.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the turn gate of the native transport', () => {
  it('lets the first caller through at once and each next one a turn later, in order', async () => {
    const gate = createTurnGate();
    const passed: string[] = [];
    for (const name of ['a', 'b', 'c']) void gate().then(() => passed.push(name));
    await Promise.resolve();
    expect(passed).toEqual(['a']);
    await turn();
    expect(passed).toEqual(['a', 'b']);
    await turn();
    expect(passed).toEqual(['a', 'b', 'c']);
    // Drained: a caller in a later turn passes at once again.
    await turn();
    await turn();
    void gate().then(() => passed.push('d'));
    await Promise.resolve();
    expect(passed).toEqual(['a', 'b', 'c', 'd']);
  });

  it('holds a caller of the same turn behind the one already through', async () => {
    const gate = createTurnGate();
    await gate();
    let second = false;
    void gate().then(() => {
      second = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(second).toBe(false);
    await turn();
    expect(second).toBe(true);
  });
});

describe('an exporter over a transport with a turn gate', () => {
  it('encodes and sends one batch per turn when the SDK hands over several at once', async () => {
    const sent: TransportRequest[] = [];
    const transport: Transport = {
      name: 'gated',
      turn: createTurnGate(),
      send: async (request) => {
        sent.push(request);
        return { code: 0, message: '' };
      },
      close: async () => {},
    };
    const exporter = new OTLPTraceExporter({ transport, compression: 'none' });
    const results: number[] = [];
    // What has been sent at each of the next three turns, looked at before the gate's
    // own immediate in each check phase.
    const seen: number[] = [];
    const look = (left: number) =>
      setImmediate(() => {
        seen.push(sent.length);
        if (left > 1) look(left - 1);
      });
    look(3);
    // A BatchSpanProcessor flush: every queued batch handed over in one go.
    for (let i = 0; i < 3; i++) {
      exporter.export(makeRealisticSpans(4), (r) => results.push(r.code));
    }
    for (let i = 0; i < 4; i++) await turn();
    expect(seen).toEqual([1, 2, 3]);
    await exporter.forceFlush();
    expect(sent).toHaveLength(3);
    expect(results).toEqual([0, 0, 0]);
    await exporter.shutdown();
  });
});
