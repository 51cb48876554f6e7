import type { RequestHandler } from 'express';
import type { Tenant } from '../../tenants/tenant.ts';
import type { SessionTokens } from '../../session/token.ts';
import { ApiError } from '../../http/errors/ApiError.ts';

const bearer = /^Bearer ([A-Za-z0-9._~+/=-]{1,8192})$/;

/**
 * The pod's Bearer session, checked on every data request: issued by us, unexpired, and for
 * the tenant in the URL (a session for one MSP's company never opens another's data).
 */
export function requireSession(tokens: SessionTokens): RequestHandler {
  return async (req, res, next) => {
    try {
      const match = bearer.exec(req.get('authorization') ?? '');
      if (match === null) {
        throw new ApiError('session_expired', 'No pod session: the pod signs in again through ConnectWise.');
      }
      const tenant = res.locals.tenant as Tenant;
      res.locals.session = await tokens.verify(match[1]!, tenant.companyId);
      next();
    } catch (err) {
      next(err);
    }
  };
}
