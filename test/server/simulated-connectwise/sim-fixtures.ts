import { demoApiMember, demoClientId, demoCompanyId, type DemoMember } from '../../../server/simulated-connectwise/demo.ts';

/** Request helpers shared by the simulator's tests. */
export const demoBase = 'https://cw.example.test/v4_6_release/apis/3.0';

export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

export const apiHeaders = (overrides: Record<string, string> = {}): Record<string, string> => ({
  authorization: basic(`${demoCompanyId}+${demoApiMember.publicKey}`, demoApiMember.privateKey),
  clientId: demoClientId,
  accept: 'application/json',
  ...overrides,
});

export const memberCookieHeaders = (m: DemoMember, opts: { context?: string | null; hash?: string } = {}): Record<string, string> => {
  const parts = [`companyName=${demoCompanyId}`, `memberId=${m.identifier}`, `memberHash=${opts.hash ?? m.memberHash}`];
  if (opts.context !== null) parts.push(`memberContext=${opts.context ?? m.memberContext}`);
  return { clientId: demoClientId, cookie: parts.join('; ') };
};

export const memberBasicHeaders = (m: DemoMember, hash = m.memberHash): Record<string, string> => ({
  clientId: demoClientId,
  authorization: basic(`${demoCompanyId}+${m.identifier}`, hash),
});

export async function getJson(url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown), headers: response.headers };
}
