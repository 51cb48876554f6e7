import type { AppConfig } from './config.ts';

/**
 * What `npm start` prints once the server listens: where everything is and, when the server
 * generated the admin token, the token itself. Printed after start-up's log lines, so it is the
 * last thing on screen and the token does not scroll away under them.
 */
export function startBanner(
  config: Pick<AppConfig, 'publicUrl' | 'adminToken' | 'adminTokenGenerated'>,
  running: { url: string; simulator?: { harnessUrl: string } | undefined },
): string {
  const lines = ['', `  ConnectWise pod server on ${running.url}`, `  Admin console:  ${running.url}/admin`];
  if (running.simulator !== undefined) {
    lines.push(`  Developer harness (simulated ConnectWise): ${running.simulator.harnessUrl}`);
    lines.push(`  Demo pod URL:   ${config.publicUrl}/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]`);
  }
  if (config.adminTokenGenerated) {
    lines.push('');
    lines.push('  Sign in to the admin console with this admin token (generated for this run; set ADMIN_TOKEN to keep one):');
    lines.push(`    ${config.adminToken}`);
  } else {
    lines.push('  Sign in to the admin console with the ADMIN_TOKEN this server was started with.');
  }
  lines.push('');
  return lines.join('\n');
}
