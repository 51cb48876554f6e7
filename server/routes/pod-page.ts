import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { DatabaseUnavailableError } from '../tenants/errors/DatabaseUnavailableError.ts';
import { z } from 'zod';
import { CompanyId, TicketId, type PodConfig } from '../../shared/pod-api.ts';
import type { Tenant, TenantStore } from '../tenants/tenant.ts';
import { cloudUiOrigins, framedPageCsp } from '../http/security-headers.ts';
import { byIp, limiter, type LimitStores } from '../http/rate-limits.ts';
import { noticePage, originNotAllowedPage } from '../web/notice-page.ts';
import { normaliseOrigin } from '../../shared/origins.ts';
import { expectedOrigins, framingOrigin } from '../framing/host-origins.ts';
import { withDataBlock, type WebRoot } from '../web/web-root.ts';

export const POD_PATH = '/hostedapis/connectwiseiframe';

const PodQuery = z.looseObject({
  nilear: z.enum(['true', 'false'], { error: 'nilear must be true or false' }).optional(),
  // What ConnectWise substituted for [cw_id] and [cw_screen]; the pod itself explains a bad one.
  id: z.string().optional(),
  screen: z.string().optional(),
});

const MINUTE = 60_000;

/**
 * The ticket whose ConnectWise reads may start with the page: a real ticket id on the ticket
 * screen, asked for by a browser framing the page (Sec-Fetch-Dest, which scripts cannot set;
 * it keeps link previews and crawlers from costing the tenant ConnectWise calls).
 */
function warmableTicket(req: Request, query: z.infer<typeof PodQuery>): number | null {
  if (req.get('sec-fetch-dest') !== 'iframe') return null;
  if (query.screen !== undefined && query.screen.toLowerCase() !== 'ticket') return null;
  const id = TicketId.safeParse(query.id);
  return id.success ? id.data : null;
}

type Options = {
  store: TenantStore;
  web: WebRoot;
  publicUrl: string;
  /** In demo mode, where the developer harness is (linked when the pod is opened outside a frame). */
  harnessUrl?: string;
  /** Counts each pod page served, per tenant (the top of the pod funnel). */
  onServed?: (tenant: Tenant, mode: PodConfig['mode']) => void;
  /** Starts the ticket's ConnectWise reads while the pod starts (WARM_UP_ON_PAGE_LOAD). */
  warmUp?: (tenant: Tenant, ticketId: number) => void;
  /**
   * A page not among the tenant's origins framed the pod and was shown the "address not
   * allowed" notice. `record` is false for the tenant's own Nilear origin without nilear=true
   * (allowing it would not be the fix).
   */
  onRefused?: (tenant: Tenant, origin: string, record: boolean) => void;
  /** Where the browser reports a framing it blocked (CSP report-uri), per tenant. */
  reportUri?: (companyId: string) => string;
  /** Shared warm-up caps when several instances serve. */
  limitStores?: LimitStores;
};

function sendHtml(res: Response, status: number, html: string): void {
  // The page carries tenant settings and must reflect the latest of them: never cached.
  res.status(status).setHeader('Cache-Control', 'no-store').type('html').send(html);
}

/**
 * GET /hostedapis/connectwiseiframe/:companyId — the page ConnectWise frames in every
 * service ticket. The frame-ancestors policy is built per request from the tenant, after the
 * tenant is loaded (app-level middleware has no route params in Express 5).
 */
export function podPageRouter(options: Options): Router {
  const router = Router();
  const adminUrl = `${options.publicUrl}/admin`;

  // The notices below carry nothing but what the address already says, so the page that
  // framed them may show them: a technician on another address sees why, not a blank frame.
  const withFramer = (req: Request, origins: readonly string[]) => {
    const framer = framingOrigin(req);
    return framer === null || origins.includes(framer) ? origins : [...origins, framer];
  };

  const notSetUp = (req: Request, res: Response, companyId: string) =>
    framedPageCsp({ publicUrl: options.publicUrl }, withFramer(req, cloudUiOrigins))(req, res, () =>
      sendHtml(
        res,
        404,
        noticePage({
          title: 'This company is not set up',
          paragraphs: [
            `The ticket pod has no settings for the ConnectWise company "${companyId}".`,
            'An admin adds the company (site, company ID and API keys) in the pod admin console, then runs its connection test.',
          ],
          link: { href: adminUrl, text: 'Open the admin console' },
        }),
      ),
    );

  /**
   * The page needs no sign-in, so whoever can load it can make us read from ConnectWise:
   * warm-ups are capped per address here, and per company in the warm-up itself (it counts
   * only loads that start a read, and reads only the ticket: ticket-context/warm-up.ts).
   * Past a cap the page is served as usual without one (as fast as without warm-ups).
   */
  const noWarmUp: RequestHandler = (_req, res, next) => {
    res.locals.warmTicket = null;
    next();
  };
  const notWarmable = (req: Request) => req.res?.locals.warmTicket === null;
  const warmUpLimits: RequestHandler[] =
    options.warmUp === undefined
      ? []
      : [
          limiter({ windowMs: MINUTE, limit: 30, key: byIp, store: options.limitStores?.('warm-up-ip'), skip: notWarmable, onLimit: noWarmUp }),
        ];

  // Parsed once, before the limits: they count only requests that would warm up.
  const parseQuery: RequestHandler = (req, res, next) => {
    const query = PodQuery.safeParse(req.query);
    res.locals.podQuery = query;
    // A company id that cannot exist warms nothing, so no limiter sees it.
    const company = CompanyId.safeParse(req.params.companyId);
    res.locals.warmTicket = query.success && company.success ? warmableTicket(req, query.data) : null;
    next();
  };

  router.get(`${POD_PATH}/:companyId`, parseQuery, ...warmUpLimits, async (req, res, next) => {
    try {
      const companyIdParam = String(req.params.companyId);
      const query = res.locals.podQuery as ReturnType<typeof PodQuery.safeParse>;
      if (!query.success) {
        sendHtml(res, 400, noticePage({ title: 'Bad pod address', paragraphs: [query.error.issues.map((i) => i.message).join('; ')] }));
        return;
      }
      const companyId = CompanyId.safeParse(companyIdParam);
      const tenant = companyId.success ? await options.store.get(companyId.data) : null;
      if (tenant === null) {
        notSetUp(req, res, companyIdParam.slice(0, 100));
        return;
      }
      const nilear = query.data.nilear === 'true';
      // Stored before origins were checked exactly, a bad one must neither reach CSP (a 500
      // for every load) nor widen it: it counts as not set.
      const nilearOrigin = normaliseOrigin(tenant.nilearOrigin);
      if (nilear && nilearOrigin === null) {
        framedPageCsp({ publicUrl: options.publicUrl }, withFramer(req, [tenant.site.uiOrigin]))(req, res, () =>
          sendHtml(
            res,
            404,
            noticePage({
              title: 'Nilear mode is not set up',
              paragraphs: [
                'This pod address asks for Nilear mode (nilear=true), but no Nilear origin is set for this company.',
                'An admin sets the exact Nilear origin in the pod admin console.',
              ],
              link: { href: adminUrl, text: 'Open the admin console' },
            }),
          ),
        );
        return;
      }
      const html = options.web.page('pod');
      if (html === null) {
        sendHtml(res, 503, noticePage({ title: 'The pod is not built', paragraphs: ['Run `npm run build` (npm start does it for you), then reload.'] }));
        return;
      }
      const origins = expectedOrigins(tenant, nilear);
      const framer = framingOrigin(req);
      if (framer !== null && !origins.includes(framer)) {
        // Without this the browser would block the frame (frame-ancestors) and show nothing.
        // The notice may be framed by exactly that address and carries no tenant data.
        const nilearWithoutFlag = !nilear && framer === tenant.nilearOrigin;
        options.onRefused?.(tenant, framer, !nilearWithoutFlag);
        framedPageCsp({ publicUrl: options.publicUrl }, [framer])(req, res, () =>
          sendHtml(res, 403, originNotAllowedPage(framer, { nilearWithoutFlag })),
        );
        return;
      }
      const config: PodConfig = {
        companyId: tenant.companyId,
        expectedOrigins: origins,
        mode: nilear ? 'nilear' : 'connectwise',
        apiBase: `/api/pod/${encodeURIComponent(tenant.companyId)}`,
        ...(options.harnessUrl !== undefined ? { harnessUrl: options.harnessUrl } : {}),
        // Issue 12: only when the admin set them (the pod's defaults otherwise).
        ...(tenant.podDisplay !== undefined ? { display: tenant.podDisplay } : {}),
      };
      const ticketId = res.locals.warmTicket as number | null;
      if (ticketId !== null) options.warmUp?.(tenant, ticketId);
      const reportUri = options.reportUri?.(tenant.companyId);
      framedPageCsp({ publicUrl: options.publicUrl }, origins, reportUri)(req, res, (err?: unknown) => {
        if (err) return next(err);
        options.onServed?.(tenant, config.mode);
        sendHtml(res, 200, withDataBlock(html, 'pod-config', config));
      });
    } catch (err) {
      next(err);
    }
  });

  // Issue 13: the database is down for a moment (a tenant lookup or a shared warm-up counter
  // failed). The frame says so, coded 503, instead of showing a JSON body.
  const databaseDown: ErrorRequestHandler = (err, req, res, next) => {
    if (!(err instanceof DatabaseUnavailableError)) return next(err);
    res.setHeader('Retry-After', '5');
    framedPageCsp({ publicUrl: options.publicUrl }, cloudUiOrigins)(req, res, () =>
      sendHtml(
        res,
        503,
        noticePage({
          title: 'The pod is briefly unavailable',
          paragraphs: ['The pod server cannot reach its database (code service_unavailable). Reopen the ticket in a moment.'],
        }),
      ),
    );
  };
  router.use(`${POD_PATH}/:companyId`, databaseDown);

  return router;
}
