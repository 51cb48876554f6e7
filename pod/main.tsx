import { render } from 'preact';
import { createPodApiClient } from './api/pod-api-client.ts';
import { readPodConfig, readUrlScreen, readUrlTicket } from './app/boot-input.ts';
import { createPodController } from './app/pod-controller.ts';
import { createPodState } from './app/pod-state.ts';
import { provideSolvedBefore } from './app/solved-before-source.ts';
import { createHostedApiClient } from './protocol/hosted-api-client.ts';
import { ConfigMissing } from './views/config-missing.tsx';
import { OutsideFrame } from './views/outside-frame.tsx';
import { preloadTicketView } from './views/lazy-ticket-view.tsx';
import { PodApp } from './views/pod-app.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/states.css';

/** The side effects live here alone: read the page, start the wiring, render. */
const HANDSHAKE_TIMEOUT_MS = 8_000;

const root = document.getElementById('app')!;
const config = readPodConfig(document);
// Issue 12: ConnectWise's light look unless the tenant chose to follow the system colour scheme.
if (config.ok && config.config.display?.colorScheme === 'system') document.documentElement.dataset['colorScheme'] = 'system';

if (window.parent === window) {
  render(<OutsideFrame harnessUrl={config.ok ? config.config.harnessUrl : undefined} />, root);
} else if (!config.ok) {
  render(<ConfigMissing reason={config.reason} />, root);
} else {
  void preloadTicketView();
  const params = new URLSearchParams(window.location.search);
  const host = createHostedApiClient({
    win: window,
    expectedOrigins: config.config.expectedOrigins,
    mode: config.config.mode,
    authTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  });
  const state = createPodState({
    mode: config.config.mode,
    urlTicket: readUrlTicket(params),
    urlScreen: readUrlScreen(params),
  });
  const controller = createPodController({
    host,
    api: createPodApiClient({ apiBase: config.config.apiBase }),
    state,
    handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
    reload: () => window.location.reload(),
  });
  provideSolvedBefore({ find: (id, signal) => controller.findSolvedBefore(id, signal), open: (id) => controller.openTicket(id) });
  // Handshake first: ConnectWise answers while the first frame renders, not after it.
  controller.start();
  performance.mark('pod:started');
  render(<PodApp state={state} controller={controller} host={host} linkTemplates={config.config.display?.linkTemplates ?? []} />, root);
}
