/** Display helpers shared by the views. ConnectWise dates arrive as ISO 8601 strings. */

export function parseDate(iso: string | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | undefined): string {
  const date = parseDate(iso);
  return date ? dateTime.format(date) : '';
}

export function formatDate(iso: string | undefined): string {
  const date = parseDate(iso);
  return date ? dateOnly.format(date) : '';
}

/** "5 min", "3 h", "4 d", "2 mo", "1 y": compact, like ConnectWise's own age column. */
export function formatAge(iso: string | undefined, now: number = Date.now()): string {
  const date = parseDate(iso);
  if (!date) return '';
  const minutes = Math.max(0, Math.floor((now - date.getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  if (days < 60) return `${days} d`;
  const months = Math.floor(days / 30.4);
  if (months < 24) return `${months} mo`;
  return `${Math.floor(days / 365.25)} y`;
}

export function formatHours(hours: number): string {
  return `${Math.round(hours * 100) / 100} h`;
}

/** A dialable tel: URI: digits and a leading +, with the extension in RFC 3966 form. */
export function telHref(number: string, extension?: string): string {
  const trimmed = number.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  const ext = extension?.replace(/[^\d]/g, '');
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}${ext ? `;ext=${ext}` : ''}`;
}

/** Only http(s) links: a website field can hold anything, including `javascript:`. */
export function websiteHref(website: string): string | null {
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(website.trim()) ? website.trim() : `https://${website.trim()}`;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
