/**
 * Small server-rendered pages for when the pod cannot start (unknown company, unbuilt
 * front end). No script, and only the shared stylesheet, so the strict CSP holds.
 */
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function noticePage(options: { title: string; paragraphs: string[]; link?: { href: string; text: string } }): string {
  const body = options.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  const link = options.link ? `<p><a href="${escapeHtml(options.link.href)}" target="_blank" rel="noopener">${escapeHtml(options.link.text)}</a></p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(options.title)}</title><link rel="stylesheet" href="/static/notice.css"></head><body><main><h1>${escapeHtml(options.title)}</h1>${body}${link}</main></body></html>`;
}

export const noticeCss = `body{margin:0;font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff}
main{max-width:34rem;padding:16px 18px}h1{font-size:15px;margin:0 0 8px}p{margin:0 0 8px}a{color:#0a5cad}
@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#1e1f21}a{color:#6cb6ff}}`;

/**
 * The pod was framed by a page whose address is not one of the tenant's. Names only that
 * address (which the framing page knows anyway): no tenant setting, no ticket data, no script.
 */
export function originNotAllowedPage(origin: string, options: { nilearWithoutFlag?: boolean } = {}): string {
  if (options.nilearWithoutFlag === true) {
    return noticePage({
      title: 'This pod address is missing nilear=true',
      paragraphs: [
        `The ticket pod was opened from ${origin}, the Nilear MTX address of this company, but without nilear=true in the pod address.`,
        'Ask your pod admin to use the Nilear pod URL from the pod admin console (it ends in &nilear=true) in Nilear.',
      ],
    });
  }
  return noticePage({
    title: 'The pod is not allowed at this address',
    paragraphs: [
      `The ticket pod was opened from ${origin}, which is not an address this pod accepts.`,
      `Ask your pod admin to allow ${origin}: in the pod admin console, under the company's Refused addresses, with "Allow this address".`,
      'Until then, open ConnectWise at its usual address to see the pod.',
    ],
  });
}
