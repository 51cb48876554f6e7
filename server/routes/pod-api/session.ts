import type { RequestHandler } from 'express';
import { z } from 'zod';
import { MemberAuthentication } from '../../../shared/member-authentication.ts';
import { TicketId, type PodSession } from '../../../shared/pod-api.ts';
import type { Tenant } from '../../tenants/tenant.ts';
import type { ConnectWise } from '../../connectwise/connectwise.ts';
import type { SessionTokens } from '../../session/token.ts';
import type { WarmUp } from '../../ticket-context/warm-up.ts';
import { ApiError } from '../../http/errors/ApiError.ts';
import { describeIssues, fieldIssues } from '../../http/field-issues.ts';
import { tenantConnection } from '../../tenant-connection.ts';

const SessionQuery = z.looseObject({
  ticket: z.optional(TicketId),
});

/**
 * POST /api/pod/:companyId/session[?ticket=id] — proves the technician with ConnectWise before anything
 * else: the getMemberAuthentication data is replayed against system/myMembers/info with the
 * tenant's configured company (never the browser's), and only a matching identifier gets a
 * session token. `ticket` names the ticket on screen: once the member is verified, the
 * member's own read of it and its parts start at once, while the answer travels back and the
 * pod sends its data requests (which then find them in flight).
 */
export function createSession(deps: {
  connectwise: ConnectWise;
  tokens: SessionTokens;
  defaultClientId: string | undefined;
  onVerified?: (tenant: Tenant) => void;
  warmUp?: WarmUp;
}): RequestHandler {
  return async (req, res, next) => {
    try {
      const query = SessionQuery.safeParse(req.query);
      if (!query.success) throw new ApiError('bad_request', `The session address is not valid: ${describeIssues(query.error.issues)}`);
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
      const connection = tenantConnection(tenant, deps.defaultClientId);
      const member = await deps.connectwise.verifyMember(connection, body.data);
      const { token, expiresAt } = await deps.tokens.issue(tenant.companyId, member, body.data);
      deps.onVerified?.(tenant);
      // The member's rights (one call per session) load while the token travels back.
      deps.warmUp?.member(connection, body.data, member.identifier);
      if (query.data.ticket !== undefined) deps.warmUp?.session(connection, body.data, query.data.ticket);
      const session: PodSession = { token, expiresAt: expiresAt.toISOString(), member };
      res.setHeader('Cache-Control', 'no-store');
      res.json(session);
    } catch (err) {
      next(err);
    }
  };
}
