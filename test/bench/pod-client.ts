import { PodSession } from '../../shared/pod-api.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';

/**
 * A pod session for these credentials; `forwardedFor` stands for the pod's client address,
 * `ticketId` for the ticket on screen (the pod names it so its reads start at once).
 */
export async function openSession(podUrl: string, creds: MemberAuthentication, forwardedFor?: string, ticketId?: number): Promise<string> {
  const res = await fetch(`${podUrl}/api/pod/${creds.companyid}/session${ticketId !== undefined ? `?ticket=${ticketId}` : ''}`, {
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

/**
 * One view as the browser makes it: the pod page framed by ConnectWise on this ticket (which
 * may start the ticket's reads), a session naming the ticket, then the view; resolves once
 * the server's answers are in and a moment has passed for any read still settling.
 */
export async function podPageView(podUrl: string, creds: MemberAuthentication, ticketId: number): Promise<void> {
  const page = await fetch(`${podUrl}/hostedapis/connectwiseiframe/${creds.companyid}?id=${ticketId}&screen=ticket`, {
    headers: { 'Sec-Fetch-Dest': 'iframe' },
  });
  if (page.status !== 200) throw new Error(`pod page for ticket ${ticketId}: HTTP ${page.status}`);
  await page.arrayBuffer();
  const token = await openSession(podUrl, creds, undefined, ticketId);
  await podView(podUrl, token, ticketId);
  await new Promise((resolve) => setTimeout(resolve, 200));
}
