import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { SystemInfo } from '../cw-schemas.ts';
import { cwSaid, mentionsClientId } from '../../connectwise/errors/classify-failure.ts';
import { failure, succeeds } from './outcomes.ts';
import type { Step, StepOutcome } from './step.ts';

/** A syntactically valid clientId that no one was issued: the control in the keys-or-clientId question. */
const UNISSUED_CLIENT_ID = '00000000-0000-4000-8000-000000000000';

const clientIdFix =
  'Set CW_CLIENT_ID on the pod server to the clientId GUID from developer.connectwise.com (or fill in this tenant’s clientId field), then run the test again.';

/**
 * The API keys are accepted. A 401 may mean bad keys or an unknown clientId; the step asks
 * again in ways whose answers differ and leaves its verdict on the clientId for the next step.
 */
export const keysStep: Step = {
  id: 'keys',
  async run({ deps, tenant, conn, api, found }, signal) {
    const clientIdSource = tenant.clientId ? 'this tenant’s clientId' : deps.defaultClientId ? 'the server’s CW_CLIENT_ID' : null;
    try {
      const info = await api.get('system/info', SystemInfo, { signal });
      const clientOk: StepOutcome = clientIdSource
        ? { status: 'ok', message: `ConnectWise accepted ${clientIdSource}.` }
        : {
            status: 'warning',
            message: 'ConnectWise answered without a clientId (older on-premise versions allow it).',
            fix: `ConnectWise requires a clientId on every call since 2019.1. ${clientIdFix}`,
          };
      found.keysVerdict = { keys: { status: 'ok', message: '' }, clientId: clientOk };
      return { status: 'ok', message: `The API keys were accepted${info.version ? ` (ConnectWise ${info.version})` : ''}.` };
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError) || (err.status !== 401 && err.status !== 403 && err.status !== 404)) throw err;
      if (err.status === 403) {
        found.keysVerdict = { keys: { status: 'ok', message: '' }, clientId: { status: 'ok', message: `ConnectWise accepted ${clientIdSource ?? 'the call'}.` } };
        return {
          status: 'warning',
          message: `The API keys were accepted, but the role may not read system/info (403).${cwSaid(err)}`,
          fix: '',
        };
      }
      if (err.status === 404) {
        return {
          status: 'failed',
          message: `ConnectWise answered 404 to system/info.${cwSaid(err)} On ConnectWise cloud a 404 here usually means bad credentials: the company id, public key or private key is wrong, or the region is.`,
          fix: 'Check the company id and the API member’s public and private keys (System › Members › API Members › <member> › API Keys), and the region.',
          halt: true,
        };
      }
      // 401: the keys, or the clientId? Ask again in ways whose answers differ.
      if (!clientIdSource) {
        found.keysVerdict = {
          keys: { status: 'skipped', message: '' },
          clientId: { status: 'failed', message: 'No clientId is configured, and ConnectWise refuses calls without one.', fix: clientIdFix, halt: true },
        };
        return {
          status: 'skipped',
          message: 'Not checked: ConnectWise refused the call (401), and without a clientId it refuses every call. See the next step.',
        };
      }
      const alternative = tenant.clientId && deps.defaultClientId && tenant.clientId !== deps.defaultClientId ? deps.defaultClientId : null;
      if (alternative !== null) {
        const retried = await succeeds(deps.connectwise.api({ ...conn, clientId: alternative }).get('system/info', SystemInfo, { signal }));
        if (retried) {
          found.keysVerdict = {
            keys: { status: 'ok', message: '' },
            clientId: {
              status: 'failed',
              message: 'ConnectWise refused this tenant’s clientId, but accepted the server’s CW_CLIENT_ID with the same keys.',
              fix: 'Clear this tenant’s clientId field (to use CW_CLIENT_ID) or correct it, then run the test again.',
              halt: true,
            },
          };
          return { status: 'ok', message: 'The API keys were accepted (with the server’s CW_CLIENT_ID).' };
        }
      }
      if (mentionsClientId(err)) {
        found.keysVerdict = {
          keys: { status: 'skipped', message: '' },
          clientId: {
            status: 'failed',
            message: `ConnectWise does not accept ${clientIdSource}.${cwSaid(err)}`,
            fix: clientIdFix,
            halt: true,
          },
        };
        return { status: 'skipped', message: 'Not checked: ConnectWise refused the clientId before looking at the keys. See the next step.' };
      }
      // Ask once more with a clientId nobody issued: if ConnectWise now complains about the
      // clientId, ours passed that check the first time, so the keys are what it refused.
      const bogus = await failure(deps.connectwise.api({ ...conn, clientId: UNISSUED_CLIENT_ID }).get('system/info', SystemInfo, { signal }));
      const ourClientIdPassed = bogus instanceof ConnectWiseHttpError && mentionsClientId(bogus);
      found.keysVerdict = {
        keys: { status: 'failed', message: '' },
        clientId: ourClientIdPassed
          ? { status: 'ok', message: `ConnectWise accepted ${clientIdSource} (it refused a made-up one, but not ours).` }
          : { status: 'skipped', message: 'Not checked separately: ConnectWise gives the same answer for bad keys and an unknown clientId.' },
      };
      return {
        status: 'failed',
        message: `ConnectWise refused the API keys (401): public/private key or company id wrong.${cwSaid(err)}`,
        fix: ourClientIdPassed
          ? 'Check the API member’s public and private keys (System › Members › API Members › <member> › API Keys; a new private key is shown only once) and the company id.'
          : `Check the API member’s public and private keys (System › Members › API Members › <member> › API Keys; a new private key is shown only once) and the company id. If they are right, the clientId may be unknown: ${clientIdFix}`,
      };
    }
  },
};
