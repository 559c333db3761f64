import { afterEach, describe, expect, it, vi } from 'vitest';
import { Code } from '../../src/core/code.js';
import type { TransportRequest } from '../../src/core/transport.js';
import { createGrpcWebTransport } from '../../src/web/grpc-web-transport.js';
import { watchPage } from '../../src/web/page-unload.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A window-like event host with a document whose visibility the test sets. */
function fakeWindow() {
  const target = new EventTarget();
  const host = Object.assign(target, { document: { visibilityState: 'visible' } });
  const fire = (type: string, persisted = false) =>
    host.dispatchEvent(Object.assign(new Event(type), { persisted }));
  return { host, fire };
}

describe('watchPage', () => {
  it('says keepalive from pagehide or hidden, unloading only for a pagehide not kept in the bfcache', () => {
    const { host, fire } = fakeWindow();
    const page = watchPage(host as never);
    expect([page.keepalive(), page.unloading()]).toEqual([false, false]);
    host.document.visibilityState = 'hidden';
    expect([page.keepalive(), page.unloading()]).toEqual([true, false]);
    host.document.visibilityState = 'visible';
    fire('pagehide', true);
    expect([page.keepalive(), page.unloading()]).toEqual([true, false]);
    fire('pageshow');
    expect([page.keepalive(), page.unloading()]).toEqual([false, false]);
    fire('pagehide');
    expect([page.keepalive(), page.unloading()]).toEqual([true, true]);
    fire('pageshow');
    page.close();
    fire('pagehide');
    expect(page.unloading()).toBe(false);
  });

  it('outside a page (no document) never listens and says visible', () => {
    const host = { addEventListener: vi.fn(), removeEventListener: vi.fn() };
    const page = watchPage(host);
    expect([page.keepalive(), page.unloading()]).toEqual([false, false]);
    page.close();
    expect(host.addEventListener).not.toHaveBeenCalled();
  });
});

const request: TransportRequest = {
  url: 'https://otlp.example.com',
  path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  body: Uint8Array.of(1, 2, 3),
  encoding: 'identity',
  headers: {},
  timeoutMs: 1000,
  keepalive: true,
};

describe('gRPC-web transport: a refused keepalive request', () => {
  it('is sent again without keepalive', async () => {
    const calls: (boolean | undefined)[] = [];
    const transport = createGrpcWebTransport({
      fetch: async (_url, init) => {
        calls.push(init?.keepalive);
        if (init?.keepalive) throw new TypeError('Failed to fetch');
        return new Response(null, { status: 200, headers: { 'grpc-status': '0' } });
      },
    });
    expect(await transport.send(request)).toMatchObject({ code: Code.Ok });
    expect(calls).toEqual([true, false]);
  });

  it('is not sent again once the page is unloading (the request itself carries on)', async () => {
    const { host, fire } = fakeWindow();
    vi.stubGlobal('document', host.document);
    vi.stubGlobal('addEventListener', host.addEventListener.bind(host));
    vi.stubGlobal('removeEventListener', host.removeEventListener.bind(host));
    const calls: (boolean | undefined)[] = [];
    const transport = createGrpcWebTransport({
      fetch: async (_url, init) => {
        calls.push(init?.keepalive);
        fire('pagehide');
        throw new TypeError('Failed to fetch');
      },
    });
    expect(await transport.send(request)).toMatchObject({ code: Code.Unavailable });
    expect(calls).toEqual([true]);
    await transport.close();
  });
});
