import type { PageLifecycle } from '../otel/exporter-defaults.js';

export type { PageLifecycle } from '../otel/exporter-defaults.js';

type Listener = (event: { type?: string; persisted?: boolean }) => void;
type EventHost = {
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
  document?: { visibilityState?: string };
};

/**
 * Follows the page's lifecycle for one exporter. On navigation Chromium fires `pagehide`
 * before `visibilitychange`, and OTel's BatchSpanProcessor flushes on the latter, so the
 * flush already knows that the page is going and that what does not fit the keepalive
 * budget must be counted now. Create it before the processor, so its listener runs
 * first. Outside a page (workers, Node) it says "visible" and never listens.
 */
export function watchPage(host = globalThis as unknown as EventHost): PageLifecycle {
  // The last pagehide, until a pageshow: `persisted` says whether the page is kept.
  let hidden: { persisted?: boolean } | undefined;
  const listening = typeof host.addEventListener === 'function' && host.document !== undefined;
  const onEvent: Listener = (event) => {
    hidden = event.type === 'pagehide' ? event : undefined;
  };
  const listen = (method: 'addEventListener' | 'removeEventListener') => {
    if (listening) for (const type of ['pagehide', 'pageshow']) host[method](type, onEvent);
  };
  listen('addEventListener');
  return {
    inPage: listening,
    keepalive: () => !!hidden || host.document?.visibilityState === 'hidden',
    unloading: () => !!hidden && !hidden.persisted,
    close: () => listen('removeEventListener'),
  };
}
