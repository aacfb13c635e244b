// How the tests start Chromium (tests/js/vite.test.mjs, www/test/browser.test.mjs):
// the binary, and flags that keep it quiet and offline on a CI machine. Imports nothing.

/** The Chromium binary: `$CHROMIUM` (or `$CHROMIUM_PATH`), else the system's. */
export const CHROMIUM = process.env.CHROMIUM ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** No sandbox (containers), no GPU, and no network of its own (updates, sync, QUIC). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
