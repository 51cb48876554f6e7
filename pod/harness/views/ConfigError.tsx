export function ConfigError({ error }: { error: string }) {
  return (
    <main class="hx-config-error">
      <h1>Developer harness — simulated ConnectWise</h1>
      <p role="alert">The harness could not load its configuration from the simulated ConnectWise.</p>
      <pre>{error}</pre>
      <p>Open the harness from the URL the pod server printed at start (demo mode), so it is served by the simulator.</p>
    </main>
  );
}
