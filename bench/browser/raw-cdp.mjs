// Chromium driven over raw CDP (a pipe, no Playwright), the browser bench's default:
// Playwright enables the DevTools Network domain on every page, and with it
// Chromium's inspector handles each request body on the renderer's main thread (measured
// by fetch-cost.mjs: a 285 KB POST costs the page about 18 ms of main-thread CPU with it,
// 2.4 ms without), which no user's page pays. Here only the domains the bench asks for are on.
import { spawn } from 'node:child_process';

/** Starts `bin` with `args`; resolves with { newPage(url), close() }. */
export async function launchRaw(bin, args) {
  // CDP over a pipe (fd 3 in, fd 4 out, NUL-separated JSON), as Playwright and Puppeteer
  // talk to Chromium: no port, no WebSocket client needed.
  const chrome = spawn(bin, [...args, '--remote-debugging-pipe', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  let err = '';
  chrome.stderr.on('data', (d) => {
    err = (err + d).slice(-4000);
  });
  const exited = new Promise((_, reject) =>
    chrome.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${err}`))),
  );
  exited.catch(() => {});
  const [toBrowser, fromBrowser] = [chrome.stdio[3], chrome.stdio[4]];
  let nextId = 1;
  const waiting = new Map();
  let buffered = '';
  fromBrowser.on('data', (chunk) => {
    const parts = (buffered + chunk.toString('utf8')).split('\0');
    buffered = parts.pop();
    for (const part of parts) {
      const msg = JSON.parse(part);
      const done = msg.id && waiting.get(msg.id);
      if (!done) continue;
      waiting.delete(msg.id);
      if (msg.error) done.reject(new Error(`${done.method}: ${msg.error.message}`));
      else done.resolve(msg.result);
    }
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject, method });
      toBrowser.write(
        `${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`,
      );
    });
  return {
    /** A page in a fresh browser context at `url`: { send(method, params), evaluate, close }. */
    async newPage(url) {
      const { browserContextId } = await send('Target.createBrowserContext');
      const { targetId } = await send('Target.createTarget', {
        url: 'about:blank',
        browserContextId,
      });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      const page = {
        send: (method, params) => send(method, params, sessionId),
        /** Evaluates `fn(arg)` in the page, awaiting its promise; resolves with its value. */
        async evaluate(fn, arg) {
          const { result, exceptionDetails } = await page.send('Runtime.evaluate', {
            expression: `(${fn})(${JSON.stringify(arg)})`,
            awaitPromise: true,
            returnByValue: true,
          });
          if (exceptionDetails) throw new Error(JSON.stringify(exceptionDetails).slice(0, 500));
          return result.value;
        },
        close: () => send('Target.disposeBrowserContext', { browserContextId }),
      };
      await page.send('Page.navigate', { url });
      return page;
    },
    async close() {
      chrome.kill();
    },
  };
}
