/**
 * ConnectWise frames the URL from the Hosted API setup row after replacing its tokens
 * (docs/connectwise.md §1.4): `[cw_id]` becomes the record id and `[cw_screen]` the screen name,
 * lower-case. Nilear frames the same URL with `nilear=true` added by our own convention.
 */
export type PodUrlInput = {
  template: string;
  ticketId: number;
  screen?: string;
  nilear: boolean;
  /** Resolves a relative template ("/hostedapis/…") the way a pasted path would be. */
  base?: string;
};

export type PodUrl = { ok: true; url: string; origin: string } | { ok: false; error: string };

export function substituteTokens(template: string, ticketId: number, screen = 'ticket'): string {
  return template
    .replaceAll('[cw_id]', encodeURIComponent(String(ticketId)))
    .replaceAll('[cw_screen]', encodeURIComponent(screen.toLowerCase()));
}

export function buildPodUrl(input: PodUrlInput): PodUrl {
  const text = substituteTokens(input.template.trim(), input.ticketId, input.screen);
  let url: URL;
  try {
    url = input.base === undefined ? new URL(text) : new URL(text, input.base);
  } catch {
    return { ok: false, error: `"${input.template}" is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `a pod URL must be http or https, not ${url.protocol}` };
  }
  if (input.nilear) url.searchParams.set('nilear', 'true');
  else if (url.searchParams.get('nilear') === 'true') url.searchParams.delete('nilear');
  return { ok: true, url: url.href, origin: url.origin };
}
