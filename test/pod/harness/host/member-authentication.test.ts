import { describe, expect, it } from 'vitest';
import { MemberAuthentication } from '../../../../shared/member-authentication.ts';
import { memberAuthenticationData } from '../../../../pod/harness/host/member-authentication.ts';

const member = { identifier: 'jsmith', name: 'Jane', email: 'jane@x.example', memberHash: 'h', memberContext: 'web' };

describe('member authentication data', () => {
  it('has ConnectWise exact key case and codeBase in ConnectWise mode', () => {
    const data = memberAuthenticationData({ member, companyId: 'demo', site: 'http://cw/', mode: 'connectwise', codeBase: 'v2025_1/' });
    expect(data).toEqual({
      site: 'http://cw/',
      companyid: 'demo',
      memberid: 'jsmith',
      memberHash: 'h',
      memberContext: 'web',
      memberEmail: 'jane@x.example',
      codeBase: 'v2025_1/',
    });
    expect(MemberAuthentication.safeParse(data).success).toBe(true);
  });

  it('leaves codeBase out in Nilear mode', () => {
    const data = memberAuthenticationData({ member, companyId: 'demo', site: 'http://cw/', mode: 'nilear' });
    expect(data).not.toHaveProperty('codeBase');
  });
});
