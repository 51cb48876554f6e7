import type { StepId } from '../../../shared/admin-api.ts';
import { cloudLookAlike } from '../../../shared/connectwise-sites.ts';
import { stepWords } from '../../../shared/connection-test-steps.ts';
import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import type { ConnectWiseUnreachableError } from '../../connectwise/errors/ConnectWiseUnreachableError.ts';
import { classifyConnectWiseFailure, cwSaid } from '../../connectwise/errors/classify-failure.ts';
import type { StepOutcome } from './step.ts';

/** Failures any step may hit, explained by the one classifier (server/connectwise/errors). Each ends the test. */
export function genericFailure(err: unknown, where: string, timeoutMs: number): StepOutcome | null {
  const failure = classifyConnectWiseFailure(err, { host: where, timeoutMs });
  return failure === null ? null : { status: 'failed', message: failure.admin, fix: failure.fix, halt: true };
}

/** ConnectWise answered 404 to an endpoint this version does not have (docs/connectwise.md §8). */
export function isMissingEndpoint(err: unknown): err is ConnectWiseHttpError {
  return err instanceof ConnectWiseHttpError && err.status === 404;
}

/** A step whose endpoint this ConnectWise lacks: a warning with the check to do by hand, never a failure. */
export function notOnThisVersion(id: StepId, err: ConnectWiseHttpError, manualCheck: string | undefined): StepOutcome {
  return {
    status: 'warning',
    message: `“${stepWords[id].label}” could not be checked on this ConnectWise version: it answered 404 (the endpoint does not exist) for ${err.endpoint}.${cwSaid(err)}`,
    fix: manualCheck ?? 'Check this by hand in ConnectWise.',
  };
}

/**
 * DNS and TLS failures seen from the pod server: they name the host, and say that the
 * server's own network (resolver, firewall, a TLS-inspecting proxy) may be the cause, since
 * the admin's browser may reach the same site fine. Saving stays possible ("Save anyway").
 */
export function unreachableFromServer(err: ConnectWiseUnreachableError, apiHost: string, typed: string): StepOutcome | null {
  const suggestion = cloudLookAlike(typed);
  const typo = suggestion !== null ? `Did you mean ${suggestion}? ` : 'Check the site for typos. ';
  const network = 'If the address is right, the pod server’s own network may be the cause';
  switch (err.reason) {
    case 'dns':
      return {
        status: 'failed',
        message: `DNS: the pod server could not resolve the host name ${apiHost}.`,
        fix: `${typo}${network} (its DNS resolver, or a firewall or proxy between it and ConnectWise). You can save anyway and run the test again once the server can resolve ${apiHost}.`,
        halt: true,
      };
    case 'tls':
      return {
        status: 'failed',
        message: `TLS: ${apiHost} answered, but the pod server could not verify its certificate (self-signed, expired, for another name, or replaced by a proxy).`,
        fix: `${network} (a proxy that inspects TLS), or ${apiHost} needs a valid certificate from a public certificate authority matching its name. You can save anyway and run the test again later.`,
        halt: true,
      };
    case 'network':
      return {
        status: 'failed',
        message: `Connection: the pod server could not reach ${apiHost} (refused, reset or no route).`,
        fix: `Check the site and port. ${network} (a firewall between it and ConnectWise). You can save anyway and run the test again later.`,
        halt: true,
      };
    default:
      return null;
  }
}

/** True when the promise fulfils; false when ConnectWise answered with an HTTP error. */
export async function succeeds(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if (err instanceof ConnectWiseHttpError) return false;
    throw err;
  }
}

/** The error the promise failed with, or null. */
export async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
    return null;
  } catch (err) {
    return err;
  }
}
