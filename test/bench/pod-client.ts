import { PodSession } from '../../shared/pod-api.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';

/** A pod session for these credentials; `forwardedFor` stands for the pod's client address. */
export async function openSession(podUrl: string, creds: MemberAuthentication, forwardedFor?: string): Promise<string> {
  const res = await fetch(`${podUrl}/api/pod/${creds.companyid}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) },
    body: JSON.stringify(creds),
  });
  if (res.status !== 200) throw new Error(`session for ${creds.memberid}: HTTP ${res.status} ${await res.text()}`);
  return PodSession.parse(await res.json()).token;
}

export async function getJson(url: string, token: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.text() };
}

/** One view as the pod makes it: the summary and the context of a ticket, at once. */
export async function podView(podUrl: string, token: string, ticketId: number, fresh = false): Promise<void> {
  const q = fresh ? '?fresh=1' : '';
  const base = `${podUrl}/api/pod/demo/tickets/${ticketId}`;
  const answers = await Promise.all([getJson(`${base}/summary${q}`, token), getJson(`${base}${q}`, token)]);
  for (const a of answers) if (a.status !== 200) throw new Error(`view of ticket ${ticketId}: HTTP ${a.status} ${a.body.slice(0, 200)}`);
}
