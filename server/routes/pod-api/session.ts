import type { RequestHandler } from 'express';
import { MemberAuthentication } from '../../../shared/member-authentication.ts';
import type { PodSession } from '../../../shared/pod-api.ts';
import type { Tenant } from '../../tenants/tenant.ts';
import type { ConnectWise } from '../../connectwise/connectwise.ts';
import type { SessionTokens } from '../../session/token.ts';
import { ApiError } from '../../http/errors/ApiError.ts';
import { describeIssues, fieldIssues } from '../../http/field-issues.ts';
import { tenantConnection } from '../../tenant-connection.ts';

/**
 * POST /api/pod/:companyId/session — proves the technician with ConnectWise before anything
 * else: the getMemberAuthentication data is replayed against system/myMembers/info with the
 * tenant's configured company (never the browser's), and only a matching identifier gets a
 * session token.
 */
export function createSession(deps: {
  connectwise: ConnectWise;
  tokens: SessionTokens;
  defaultClientId: string | undefined;
  onVerified?: (tenant: Tenant) => void;
}): RequestHandler {
  return async (req, res, next) => {
    try {
      const body = MemberAuthentication.safeParse(req.body);
      if (!body.success) {
        throw new ApiError('bad_request', `The member authentication is not valid: ${describeIssues(body.error.issues)}`, {
          fields: fieldIssues(body.error.issues),
        });
      }
      const tenant = res.locals.tenant as Tenant;
      if (body.data.companyid.toLowerCase() !== tenant.companyId.toLowerCase()) {
        throw new ApiError(
          'member_unverified',
          `You are signed in to ConnectWise company "${body.data.companyid.slice(0, 100)}", but this pod is set up for "${tenant.companyId}".`,
        );
      }
      const member = await deps.connectwise.verifyMember(tenantConnection(tenant, deps.defaultClientId), body.data);
      const { token, expiresAt } = await deps.tokens.issue(tenant.companyId, member, body.data);
      deps.onVerified?.(tenant);
      const session: PodSession = { token, expiresAt: expiresAt.toISOString(), member };
      res.setHeader('Cache-Control', 'no-store');
      res.json(session);
    } catch (err) {
      next(err);
    }
  };
}
