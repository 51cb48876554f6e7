/**
 * Debian's Chromium, driven by playwright-core: browser downloads are impossible here.
 * The background-networking flags stop Chromium dialling out on a closed network; root
 * needs --no-sandbox.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
