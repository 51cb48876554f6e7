import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CompanyInfo } from '../../../../server/connectwise/schemas/company-info.ts';
import { ConnectWiseErrorBody } from '../../../../server/connectwise/schemas/error-body.ts';
import {
  ConnectWiseHostedScreen,
  ConnectWiseHostedSetup,
  ConnectWiseHostedSetupInput,
  ConnectWiseReport,
} from '../../../../server/connectwise/schemas/hosted.ts';
import { Member } from '../../../../server/connectwise/schemas/members.ts';
import { MyMemberInfo } from '../../../../server/connectwise/schemas/my-member-info.ts';
import { ConnectWiseReference } from '../../../../server/connectwise/schemas/references.ts';
import { MySecurity, SecurityRoleSetting } from '../../../../server/connectwise/schemas/security.ts';
import { SystemInfo } from '../../../../server/connectwise/schemas/system-info.ts';
import { ConnectWiseHttpError } from '../../../../server/connectwise/errors/ConnectWiseHttpError.ts';
import { createGuardedDispatcher } from '../../../../server/connectwise/network-guard.ts';
import { createTransport } from '../../../../server/connectwise/transport.ts';

/**
 * Every schema of a ConnectWise answer accepts what ConnectWise's 2025.8 OpenAPI allows
 * (docs/connectwise.md §8): reference ids are NullableInt32, error code and message are optional,
 * and ConnectWise adds fields over time.
 */

describe('ConnectWiseReference', () => {
  it('reads a full reference', () => {
    expect(ConnectWiseReference.parse({ id: 2, identifier: 'Tampa', name: 'Tampa Office', _info: { href: 'x' } })).toMatchObject({
      id: 2,
      name: 'Tampa Office',
    });
  });

  it.each([null, undefined])('reads a %s id (NullableInt32) as absent', (id) => {
    const parsed = ConnectWiseReference.parse({ id, name: 'Tampa Office' });
    expect(parsed.id).toBeUndefined();
    expect(parsed.name).toBe('Tampa Office');
  });

  it('still refuses an id that is not a number', () => {
    expect(ConnectWiseReference.safeParse({ id: 'two' }).success).toBe(false);
  });
});

describe('MyMemberInfo', () => {
  const info = { id: 7, identifier: 'jsmith', firstName: 'Jo', lastName: 'Smith', fullName: 'Jo Smith' };

  it('reads a member with null ids inside every reference', () => {
    const parsed = MyMemberInfo.parse({
      ...info,
      defaultLocation: { id: null, name: 'Tampa Office' },
      defaultDepartment: { id: null, identifier: 'Services', name: 'Services' },
      serviceDefaultBoard: { id: null, name: null },
      timeZone: { id: null, name: 'US Eastern' },
      _info: null,
      somethingNew: [1, 2],
    });
    expect(parsed.identifier).toBe('jsmith');
    expect(parsed.serviceDefaultBoard?.id).toBeUndefined();
  });

  it('reads a member whose optional fields are all null', () => {
    const nulls = { id: null, firstName: null, lastName: null, fullName: null, defaultEmail: null, inactiveFlag: null, licenseClass: null };
    expect(MyMemberInfo.parse({ identifier: 'jsmith', ...nulls }).identifier).toBe('jsmith');
  });

  it.each([
    ['no identifier', { id: 7 }],
    ['an empty identifier', { identifier: '' }],
    ['a null identifier', { identifier: null }],
  ])('is not a member record with %s', (_what, body) => {
    expect(MyMemberInfo.safeParse(body).success).toBe(false);
  });
});

describe('Member', () => {
  it('reads null reference ids and a null security role', () => {
    const parsed = Member.parse({
      id: 7,
      identifier: 'jsmith',
      securityRole: { id: null, name: 'Technician' },
      defaultLocation: { id: null },
      defaultDepartment: null,
    });
    expect(parsed.securityRole?.id).toBeUndefined();
    expect(Member.parse({ id: 7, identifier: 'jsmith', securityRole: null }).securityRole).toBeNull();
  });
});

describe('security settings', () => {
  const row = { moduleIdentifier: 'Service', moduleFunctionIdentifier: 'ServiceTickets', inquireLevel: 'All' };

  it('reads rows with nulls everywhere but the names', () => {
    expect(SecurityRoleSetting.parse({ ...row, id: null, addLevel: null, myAllFlag: null }).inquireLevel).toBe('All');
  });

  it('reads mySecurity rows whose member reference has a null id', () => {
    const parsed = MySecurity.parse([{ ...row, member: { id: null, identifier: 'jsmith' } }]);
    expect(parsed[0]?.member?.identifier).toBe('jsmith');
    expect(parsed[0]?.member?.id).toBeUndefined();
  });
});

describe('hosted setups and screens', () => {
  it('reads a setup row with nulls in every optional field', () => {
    const nulls = { screenId: null, description: null, url: null, type: null, origin: null, podHeight: null, clientId: null, locationIds: null, _info: null };
    expect(ConnectWiseHostedSetup.parse({ id: 1, ...nulls }).id).toBe(1);
  });

  it('reads a screen id as a number or a string', () => {
    expect(ConnectWiseHostedScreen.parse({ id: 1, screenId: '12', name: 'ServiceTicket' }).screenId).toBe('12');
    expect(ConnectWiseHostedScreen.parse({ id: 1, screenId: null, name: null }).screenId).toBeNull();
  });

  it('reads a report', () => {
    expect(ConnectWiseReport.parse({ column_definitions: [{ Id: {} }], row_values: [[1]] }).row_values).toEqual([[1]]);
  });

  it('is strict about what we send', () => {
    expect(ConnectWiseHostedSetupInput.safeParse({ screenId: 1, description: 'Pod', url: 'https://p', type: 'Pod', extra: 1 }).success).toBe(true);
    expect(ConnectWiseHostedSetupInput.safeParse({ screenId: 1, description: 'Pod', url: 'https://p', type: 'pod' }).success).toBe(false);
  });
});

describe('SystemInfo and CompanyInfo', () => {
  it('reads a system/info with nulls', () => {
    expect(SystemInfo.parse({ version: null, isCloud: null, cloudRegion: null }).version).toBeNull();
  });

  it('reads companyinfo with IsCloud as a string and a null SiteUrl', () => {
    const parsed = CompanyInfo.parse({ Codebase: 'v2025_1', IsCloud: 'True', SiteUrl: null, CompanyName: null });
    expect(parsed).toMatchObject({ Codebase: 'v2025_1/', IsCloud: true, SiteUrl: null });
  });
});

describe('ConnectWiseErrorBody', () => {
  it('keeps code, message and the fields named', () => {
    expect(ConnectWiseErrorBody.parse({ code: 'InvalidObject', message: 'ticket object is invalid', errors: [{ field: 'status/id' }] })).toMatchObject({
      code: 'InvalidObject',
      message: 'ticket object is invalid',
    });
  });

  it.each([
    ['a code only', { code: 'Unauthorized' }, { code: 'Unauthorized', message: 'Unauthorized' }],
    ['a null message', { code: 'Security', message: null }, { code: 'Security', message: 'Security' }],
    ['an empty message', { code: 'Security', message: ' ' }, { code: 'Security', message: 'Security' }],
    ['a message only', { message: 'Ticket Id 1 not found' }, { code: undefined, message: 'Ticket Id 1 not found' }],
    ['a null code', { code: null, message: 'no' }, { code: undefined, message: 'no' }],
  ])('reads %s (the message falls back to the code)', (_what, body, expected) => {
    expect(ConnectWiseErrorBody.parse(body)).toMatchObject(expected);
  });

  it.each([{}, { code: null, message: null }, { errors: [] }, null, '<html>'])('is no error body without code or message (%j)', (body) => {
    expect(ConnectWiseErrorBody.safeParse(body).success).toBe(false);
  });
});

// The fallback as the ConnectWise client applies it: code, then the HTTP status.
describe('the error a ConnectWise error body becomes', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  const dispatcher = createGuardedDispatcher({ allowPrivateNetwork: true, allowedOrigins: [], lookup: async () => [] });
  afterAll(() => dispatcher.close());
  const transport = createTransport({ dispatcher, timeoutMs: 5000, totalTimeoutMs: 10_000, maxRetryAfterMs: 50, retryLimit: 0 });
  const url = 'https://api-na.myconnectwise.net/v2025_1/apis/3.0/system/info';

  async function errorFor(body: unknown, status: number): Promise<ConnectWiseHttpError> {
    server.use(http.get(url, () => HttpResponse.json(body as never, { status, statusText: 'Forbidden' })));
    const err = await transport
      .send({ method: 'GET', url: new URL(url), endpoint: 'system/info', headers: {}, credentials: 'api-keys', schema: z.unknown() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectWiseHttpError);
    return err as ConnectWiseHttpError;
  }

  it('keeps the code of a code-only body and uses it as the message', async () => {
    expect(await errorFor({ code: 'Security' }, 403)).toMatchObject({ status: 403, cwCode: 'Security', cwMessage: 'Security' });
  });

  it('falls back to the status when the body names neither', async () => {
    expect(await errorFor({ errors: null }, 403)).toMatchObject({ status: 403, cwCode: undefined, cwMessage: 'HTTP 403 Forbidden' });
  });
});
