import type { PageLifecycle } from '../otel/exporter-defaults.js';

export type { PageLifecycle } from '../otel/exporter-defaults.js';

type EventHost = {
  addEventListener(type: string, listener: (event: { persisted?: boolean }) => void): void;
  removeEventListener(type: string, listener: (event: { persisted?: boolean }) => void): void;
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
  let hidden = false;
  let unloading = false;
  const listening = typeof host.addEventListener === 'function' && host.document !== undefined;
  const onHide = (event: { persisted?: boolean }) => {
    hidden = true;
    unloading = !event.persisted;
  };
  const onShow = () => {
    hidden = false;
    unloading = false;
  };
  if (listening) {
    host.addEventListener('pagehide', onHide);
    host.addEventListener('pageshow', onShow);
  }
  return {
    inPage: listening,
    keepalive: () => hidden || host.document?.visibilityState === 'hidden',
    unloading: () => unloading,
    close() {
      if (!listening) return;
      host.removeEventListener('pagehide', onHide);
      host.removeEventListener('pageshow', onShow);
    },
  };
}
