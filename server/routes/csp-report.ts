import express, { Router } from 'express';
import { z } from 'zod';
import { CompanyId } from '../../shared/pod-api.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import { byIp, limiter } from '../http/rate-limits.ts';
import type { Tenant, TenantStore } from '../tenants/tenant.ts';
import { POD_PATH } from './pod-page.ts';

/** Where a browser reports a violation of the pod page's CSP, per tenant. */
export const cspReportPath = (companyId: string) => `${POD_PATH}/${encodeURIComponent(companyId)}/csp-report`;

// What browsers send: `report-uri` gives {"csp-report": {...}} as application/csp-report; the
// Reporting API gives [{type: "csp-violation", body: {...}}] as application/reports+json.
// Only the directive is read: a frame-ancestors report never names the page that framed.
const Directive = z.string().max(200);
const LegacyReport = z.looseObject({
  'csp-report': z.looseObject({ 'effective-directive': Directive.optional(), 'violated-directive': Directive.optional() }),
});
const ReportingApiReports = z
  .array(z.looseObject({ type: z.string().max(100), body: z.looseObject({ effectiveDirective: Directive.optional() }).optional() }))
  .max(100);

function blockedFramings(body: unknown): number | null {
  const legacy = LegacyReport.safeParse(body);
  if (legacy.success) {
    const r = legacy.data['csp-report'];
    return (r['effective-directive'] ?? r['violated-directive'] ?? '').startsWith('frame-ancestors') ? 1 : 0;
  }
  const reports = ReportingApiReports.safeParse(body);
  if (reports.success) {
    return reports.data.filter((r) => r.type === 'csp-violation' && r.body?.effectiveDirective === 'frame-ancestors').length;
  }
  return null;
}

const MINUTE = 60_000;

/**
 * POST /hostedapis/connectwiseiframe/:companyId/csp-report — counts framings of the pod the
 * browser blocked (frame-ancestors), the blank pods nobody would otherwise hear of. Anyone can
 * post here, so it only counts (bounded per tenant by the events store's hourly buckets),
 * per-IP rate-limited, for configured tenants, and answers nothing a caller could use.
 */
export function cspReportRouter(options: { store: TenantStore; onBlockedFraming: (tenant: Tenant, count: number) => void }): Router {
  const router = Router();
  router.post(
    `${POD_PATH}/:companyId/csp-report`,
    limiter({ windowMs: MINUTE, limit: 30, key: byIp, message: 'Too many reports from this address.' }),
    express.json({ limit: '16kb', type: ['application/csp-report', 'application/reports+json', 'application/json'] }),
    async (req, res, next) => {
      try {
        const companyId = CompanyId.safeParse(req.params.companyId);
        const tenant = companyId.success ? await options.store.get(companyId.data) : null;
        if (tenant === null) throw new ApiError('not_found', 'No such company.');
        const count = blockedFramings(req.body);
        if (count === null) throw new ApiError('bad_request', 'Not a CSP violation report.');
        if (count > 0) options.onBlockedFraming(tenant, count);
        res.status(204).end();
      } catch (err) {
        next(err);
      }
    },
  );
  return router;
}
