import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.ts';

/** Debian's Chromium through playwright-core: real iframes, cross-origin postMessage, CSP. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, ...extraArgs], headless: true });
}
