import { useEffect, useState } from 'preact/hooks';
import type { EventTrigger, TenantEvents } from '../../../shared/admin-events.ts';
import { adminApi, AdminApiError } from '../api.ts';
import { signInState } from '../state.ts';

/** How often the view asks the server again while it is open. */
export const EVENTS_POLL_MS = 5_000;

const triggerLabel: Record<EventTrigger, string> = {
  page: 'page warm-up',
  session: 'session',
  view: 'view',
  test: 'test',
  register: 'register',
  console: 'console',
};

const time = (iso: string) => new Date(iso).toLocaleTimeString();

/**
 * Issue 11: what the pod server is doing for this company — its latest ConnectWise requests
 * and why it made them, the pod's latest failures, and how many pod pages of the last hour
 * got as far as a verified technician and a served ticket. Read again every few seconds.
 */
export function EventsView({ companyId }: { companyId: string }) {
  const [events, setEvents] = useState<TenantEvents | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const next = await adminApi.events(companyId);
        if (!stopped) {
          setEvents(next);
          setError(null);
        }
      } catch (err) {
        if (stopped) return;
        if (err instanceof AdminApiError && err.status === 401) signInState.value = 'signed-out';
        else setError(err instanceof Error ? err.message : 'Could not read the events.');
      }
    };
    setEvents(null);
    void load();
    const timer = setInterval(() => void load(), EVENTS_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [companyId]);

  return (
    <section aria-labelledby="events-heading" class="events" data-testid="events-view">
      <h3 id="events-heading">Events</h3>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {events === null ? (
        !error && <p class="muted">Loading…</p>
      ) : (
        <>
          <p data-testid="funnel">
            Last hour: <strong>{events.lastHour.pagesServed}</strong> pod pages served → <strong>{events.lastHour.verified}</strong>{' '}
            technicians verified → <strong>{events.lastHour.contextServed}</strong> tickets shown.
            {events.lastHour.refusedFramings > 0 && <> {events.lastHour.refusedFramings} opened from an address not allowed (see Refused addresses).</>}
            {events.lastHour.blockedFramings > 0 && <> {events.lastHour.blockedFramings} blocked by the browser (reported without the address).</>}
          </p>
          <h4>ConnectWise requests</h4>
          {events.requests.length === 0 ? (
            <p class="muted">No request to ConnectWise yet.</p>
          ) : (
            <table data-testid="events-requests">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Request</th>
                  <th scope="col">Status</th>
                  <th scope="col">ms</th>
                </tr>
              </thead>
              <tbody>
                {events.requests.map((r, i) => (
                  <tr key={`${r.at}-${i}`}>
                    <td>{time(r.at)}</td>
                    <td>{triggerLabel[r.trigger]}</td>
                    <td>
                      <code>
                        {r.method} {r.path}
                      </code>
                    </td>
                    <td class={r.status === 'ok' ? 'good' : 'bad'}>{r.status}</td>
                    <td>{r.ms}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h4>Pod failures</h4>
          {events.failures.length === 0 ? (
            <p class="muted">No failure yet.</p>
          ) : (
            <table data-testid="events-failures">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Code</th>
                  <th scope="col">Member</th>
                  <th scope="col">Ticket</th>
                </tr>
              </thead>
              <tbody>
                {events.failures.map((f, i) => (
                  <tr key={`${f.at}-${i}`}>
                    <td>{time(f.at)}</td>
                    <td>
                      <code>{f.code}</code>
                    </td>
                    <td>{f.member ?? '–'}</td>
                    <td>{f.ticket !== null ? `#${f.ticket}` : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
