// The receiver's hardening suite: fuzzed Export calls over gRPC, gRPC-web and Connect to
// the three OTLP services, each answer checked against a decoder oracle and nothing
// acknowledged lost; then credentials and CORS origins from arbitrary headers. The CI
// run is short; `npm run fuzz:receiver` runs 100,000 inputs and prints the figures
// (README, "Hardening").
import type * as http2 from 'node:http2';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code, codeName } from '../../src/core/code.js';
import { createLogger, type Receiver, startReceiver } from '../../src/receiver/index.js';
import {
  closeSession,
  connectSession,
  EXPORT_PATHS,
  envelope,
  rawRequest,
} from '../helpers/raw-http2.js';
import { expectedOutcome, fuzzInput, sendFuzzInput } from '../helpers/receiver-fuzz.js';
import type { FuzzSignal } from '../helpers/receiver-fuzz-oracle.js';

const INPUTS = Number(process.env.RECEIVER_FUZZ_INPUTS ?? 600);
const SEED =
  process.env.RECEIVER_FUZZ_SEED === undefined ? undefined : Number(process.env.RECEIVER_FUZZ_SEED);

let receiver: Receiver;
let session: http2.ClientHttp2Session;
const errors: string[] = [];

beforeAll(async () => {
  const logger = createLogger({ level: 'error', write: (line) => errors.push(line) });
  receiver = await startReceiver({ port: 0, logger, maxStoredItems: 1000 });
  session = await connectSession(receiver.url);
});
afterAll(async () => {
  await closeSession(session);
  await receiver.close();
});

describe('fuzzed Export calls', () => {
  it(`answer ${INPUTS} inputs as the decoder oracle says, and lose nothing`, {
    timeout: Math.max(60_000, INPUTS * 5),
  }, async () => {
    const statuses: Record<string, number> = {};
    const expected: Record<FuzzSignal, { accepted: number; rejected: number }> = {
      traces: { accepted: 0, rejected: 0 },
      metrics: { accepted: 0, rejected: 0 },
      logs: { accepted: 0, rejected: 0 },
    };
    let peakRss = process.memoryUsage().rss;
    let inputs = 0;
    await fc.assert(
      fc.asyncProperty(fuzzInput, async (input) => {
        const want = expectedOutcome(input);
        const got = await sendFuzzInput(session, input);
        inputs++;
        statuses[codeName(got.code as Code)] = (statuses[codeName(got.code as Code)] ?? 0) + 1;
        if (inputs % 200 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (inputs % 10_000 === 0) process.stderr.write(`receiver fuzz: ${inputs} inputs\n`);
        expect({ code: got.code, message: got.message }).toMatchObject({ code: want.code });
        if (want.code !== Code.Ok) expect(got.message).not.toBe('');
        if (want.items !== undefined) {
          expect(got.rejected).toBe(want.items.rejected);
          expected[input.signal].accepted += want.items.accepted;
          expected[input.signal].rejected += want.items.rejected;
        }
      }),
      { numRuns: INPUTS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true },
    );
    const stats = receiver.stats();
    let lost = 0;
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      const s = stats[signal]!;
      lost += Math.abs(expected[signal].accepted - Number(s.itemsAccepted));
      expect(Number(s.itemsRejected)).toBe(expected[signal].rejected);
    }
    expect(lost).toBe(0);
    expect(errors).toEqual([]);
    console.log(
      JSON.stringify({
        fuzz: 'receiver',
        inputs,
        statuses,
        accepted: Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v.accepted])),
        peakRssMiB: Math.round(peakRss / 1048576),
        lost,
      }),
    );
  });
});

describe('credentials from arbitrary headers', () => {
  it('let a call through exactly when the API key or the bearer token matches', async () => {
    const r = await startReceiver({ port: 0, apiKey: 'key-1', bearerToken: 'tok-1' });
    const s = await connectSession(r.url);
    try {
      const body = envelope(new Uint8Array(0));
      const value = fc.oneof(
        fc.string({ unit: fc.constantFrom(...'abkeyto-1 \tBEARbear'.split('')), maxLength: 14 }),
        fc.constantFrom(
          'key-1',
          'Bearer tok-1',
          'bearer  tok-1',
          'BEARER tok-1 ',
          'Bearer tok-2',
          'tok-1',
        ),
      );
      await fc.assert(
        fc.asyncProperty(fc.option(value), fc.option(value), async (apiKey, authorization) => {
          const headers: Record<string, string> = {};
          if (apiKey !== null) headers['x-api-key'] = apiKey;
          if (authorization !== null) headers.authorization = authorization;
          const res = await rawRequest(s, { path: EXPORT_PATHS.logs, body, headers });
          // HTTP/2 drops a field value that starts or ends with whitespace (RFC 9113).
          const sent = (v: string | null) => (v !== null && v.trim() === v ? v : undefined);
          const ok =
            sent(apiKey) === 'key-1' || /^bearer[ \t]+tok-1$/i.test(sent(authorization) ?? '');
          expect(res.grpcStatus).toBe(ok ? Code.Ok : Code.Unauthenticated);
        }),
        { numRuns: 150 },
      );
    } finally {
      await closeSession(s);
      await r.close();
    }
  });
});

describe('CORS for arbitrary origins', () => {
  it('allows exactly the configured origins, case-insensitively, on preflights and calls', async () => {
    const r = await startReceiver({ port: 0, corsOrigins: ['http://app.example:5173'] });
    try {
      const origin = fc.oneof(
        fc.constantFrom(
          'http://app.example:5173',
          'HTTP://APP.EXAMPLE:5173',
          'http://app.example',
          'null',
        ),
        fc.webUrl().map((u) => new URL(u).origin),
      );
      await fc.assert(
        fc.asyncProperty(origin, fc.boolean(), async (o, preflight) => {
          const res = await fetch(`${r.url}${EXPORT_PATHS.traces}`, {
            method: preflight ? 'OPTIONS' : 'POST',
            headers: preflight
              ? { origin: o, 'access-control-request-method': 'POST' }
              : { origin: o, 'content-type': 'application/grpc-web+proto' },
            ...(preflight ? {} : { body: envelope(new Uint8Array(0)) as Uint8Array<ArrayBuffer> }),
          });
          await res.arrayBuffer();
          const allowed = o.toLowerCase() === 'http://app.example:5173';
          expect(res.headers.get('access-control-allow-origin')).toBe(allowed ? o : null);
          if (preflight) expect(res.status).toBe(allowed ? 204 : 403);
          else expect(res.status).toBe(200);
        }),
        { numRuns: 100 },
      );
    } finally {
      await r.close();
    }
  });
});
