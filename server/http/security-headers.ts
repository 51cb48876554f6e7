import helmet from 'helmet';
import type { RequestHandler } from 'express';
import { cloudRegions } from '../../shared/connectwise-sites.ts';

/**
 * Framing is the one place the pod differs from every other page: ConnectWise must frame
 * it, and nothing else may. X-Frame-Options cannot name a foreign origin, so it is off
 * everywhere and CSP frame-ancestors does the job: 'none' by default, the tenant's
 * ConnectWise origin on the pod route (frame-ancestors per tenant: docs/connectwise.md §2.4).
 */

type Options = { publicUrl: string };

function baseDirectives(options: Options) {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'"],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    // Upgrading breaks a plain-HTTP deployment on a non-loopback name (engineering.md E8).
    'upgrade-insecure-requests': options.publicUrl.startsWith('https:') ? [] : null,
  };
}

/** Server-wide: helmet's protections, nothing framable, strict CSP for the built pages. */
export function securityHeaders(options: Options): RequestHandler {
  return helmet({
    xFrameOptions: false,
    contentSecurityPolicy: { useDefaults: false, directives: baseDirectives(options) },
    strictTransportSecurity: options.publicUrl.startsWith('https:') ? undefined : false,
    // The pod's own API is called cross-site from nothing; the pod page is framed cross-site.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * CSP for one framed page: everything as above, framable only by the given origins. With
 * `reportUri`, the browser reports violations there (a framing it blocked among them).
 */
export function framedPageCsp(options: Options, frameAncestors: readonly string[], reportUri?: string): RequestHandler {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      ...baseDirectives(options),
      // helmet throws on a value containing ';' or ',' (the caller turns it into a 500), so a
      // bad stored origin fails closed instead of injecting directives.
      'frame-ancestors': frameAncestors.length > 0 ? [...frameAncestors] : ["'none'"],
      ...(reportUri !== undefined ? { 'report-uri': [reportUri] } : {}),
    },
  });
}

/** Who may frame the "company not set up" page: the ConnectWise cloud UI origins. */
export const cloudUiOrigins: readonly string[] = cloudRegions.map((r) => `https://${r.uiHost}`);
