import express, { type ErrorRequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { serveApp } from '../../support/serve-app.ts';
import { cloudUiOrigins, framedPageCsp, securityHeaders } from '../../../server/http/security-headers.ts';
import { cloudRegions } from '../../../shared/connectwise-sites.ts';


/** The CSP as directive → values, so tests read one directive without parsing by hand. */
function directives(csp: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (csp ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

const errorsAsText: ErrorRequestHandler = (err, _req, res, _next) => {
  res.status(500).type('text').send(err instanceof Error ? `error: ${err.message}` : 'error');
};

/** securityHeaders on every route; /framed adds the framed-page CSP with the given ancestors. */
async function start(publicUrl: string, frameAncestors: readonly string[] = ['https://na.myconnectwise.net']) {
  const app = express();
  app.use(securityHeaders({ publicUrl }));
  app.get('/page', (_req, res) => {
    res.type('html').send('<p>page</p>');
  });
  app.get('/framed', framedPageCsp({ publicUrl }, frameAncestors), (_req, res) => {
    res.type('html').send('<p>framed</p>');
  });
  app.use(errorsAsText);
  return serveApp(app);
}

describe('securityHeaders', () => {
  it('sends no X-Frame-Options, which could not name ConnectWise', async () => {
    const url = await start('https://pod.example.com');
    for (const path of ['/page', '/framed']) {
      const res = await fetch(url + path);
      expect(res.headers.get('x-frame-options')).toBeNull();
    }
  });

  it("lets nothing frame an ordinary page: frame-ancestors 'none'", async () => {
    const url = await start('https://pod.example.com');
    const csp = directives((await fetch(`${url}/page`)).headers.get('content-security-policy'));
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows scripts, styles and connections from our own origin only, no inline script attributes', async () => {
    const url = await start('https://pod.example.com');
    const csp = directives((await fetch(`${url}/page`)).headers.get('content-security-policy'));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('script-src-attr')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
  });

  it.each([
    ['an https public URL', 'https://pod.example.com', true],
    ['an http public URL', 'http://pod.internal:3000', false],
    ['a loopback http public URL', 'http://localhost:3000', false],
  ])('with %s, upgrade-insecure-requests and HSTS are %s', async (_what, publicUrl, upgrade) => {
    const url = await start(publicUrl);
    for (const path of ['/page', '/framed']) {
      const res = await fetch(url + path);
      expect(directives(res.headers.get('content-security-policy')).has('upgrade-insecure-requests')).toBe(upgrade);
    }
    expect((await fetch(`${url}/page`)).headers.has('strict-transport-security')).toBe(upgrade);
  });

  it('sends the other helmet protections', async () => {
    const url = await start('https://pod.example.com');
    const res = await fetch(`${url}/page`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});

describe('framedPageCsp', () => {
  it('lets exactly the given origins frame the page', async () => {
    const url = await start('https://pod.example.com', ['https://na.myconnectwise.net', 'https://mtx.example.com']);
    const res = await fetch(`${url}/framed`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    // One policy only (fetch joins repeated headers with ", "): a second, stricter one from
    // securityHeaders would forbid the frame.
    expect(csp.split(',')).toHaveLength(1);
    expect(directives(csp).get('frame-ancestors')).toEqual(['https://na.myconnectwise.net', 'https://mtx.example.com']);
  });

  it('keeps the strict directives of every page', async () => {
    const url = await start('https://pod.example.com');
    const csp = directives((await fetch(`${url}/framed`)).headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('frame-src')).toEqual(["'none'"]);
  });

  it("falls back to 'none' when given no origins", async () => {
    const url = await start('https://pod.example.com', []);
    const csp = directives((await fetch(`${url}/framed`)).headers.get('content-security-policy'));
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it.each([
    ['a semicolon', "https://na.myconnectwise.net; script-src 'unsafe-inline'"],
    ['a comma', "https://na.myconnectwise.net, script-src 'unsafe-inline'"],
  ])('fails closed on a stored origin containing %s instead of injecting a directive', async (_what, evil) => {
    expect(() => framedPageCsp({ publicUrl: 'https://pod.example.com' }, [evil])).toThrow(/invalid directive value for "frame-ancestors"/);

    // As the pod page uses it: built per request inside the handler, the error reaches the error handler.
    const app = express();
    app.get('/framed', (req, res, next) => {
      try {
        framedPageCsp({ publicUrl: 'https://pod.example.com' }, [evil])(req, res, (err?: unknown) => {
          if (err) return next(err);
          res.type('html').send('<p>framed</p>');
        });
      } catch (err) {
        next(err);
      }
    });
    app.use(errorsAsText);
    const url = await serveApp(app);
    const res = await fetch(`${url}/framed`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('framed</p>');
    expect(res.headers.get('content-security-policy') ?? '').not.toContain('unsafe-inline');
  });
});

describe('cloudUiOrigins', () => {
  it('lists the UI origin of each of the six cloud regions, exactly', () => {
    expect(cloudUiOrigins).toEqual([
      'https://na.myconnectwise.net',
      'https://eu.myconnectwise.net',
      'https://au.myconnectwise.net',
      'https://aus.myconnectwise.net',
      'https://za.myconnectwise.net',
      'https://staging.connectwisedev.com',
    ]);
    expect(cloudUiOrigins).toHaveLength(cloudRegions.length);
  });

  it('holds no API host: the api- hosts never frame the pod', () => {
    expect(cloudUiOrigins.filter((o) => o.includes('//api-'))).toEqual([]);
  });
});
