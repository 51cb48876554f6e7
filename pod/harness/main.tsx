import './harness.css';
import { render } from 'preact';
import { readForeignProbeParams, runForeignSender, type ForeignWindow } from './host/foreign-probe.ts';
import { loadHarnessConfig } from './host/harness-config.ts';
import { createHarnessController } from './host/harness-controller.ts';
import { HarnessApp } from './views/HarnessApp.tsx';
import { ConfigError } from './views/ConfigError.tsx';

// The same page plays two parts: the harness itself, or (in a hidden frame on the
// simulator's second origin) the foreign page that tries to talk to the pod.
const probe = readForeignProbeParams(location.search);
if (probe !== null && window.parent !== window) {
  runForeignSender(window as unknown as ForeignWindow, probe);
} else {
  void boot();
}

async function boot(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) return;
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, { ...init, cache: 'no-store' });
  const loaded = await loadHarnessConfig(fetchFn);
  if (!loaded.ok) {
    render(<ConfigError error={loaded.error} />, root);
    return;
  }
  const controller = createHarnessController({
    config: loaded.config,
    location: { origin: location.origin, pathname: location.pathname, search: location.search },
    fetch: fetchFn,
    navigate: (url) => location.assign(url),
    // performance.now() counts from navigation start: "ms since load" in the log.
    now: () => performance.now(),
  });
  render(<HarnessApp controller={controller} />, root);
}
