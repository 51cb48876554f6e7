import { describe, expect, it } from 'vitest';
import {
  BeforeSaveAnswer,
  MAX_MESSAGE_LENGTH,
  ScreenObject,
  buildEventAck,
  buildEventRefusal,
  buildFrameId,
  buildHostEvent,
  buildHostedRequest,
  buildMemberAuthenticationResponse,
  buildReady,
  parseHostMessage,
  parsePodMessage,
} from '../../shared/hosted-api.ts';

const memberAuth = {
  site: 'http://my.connectwise.com/',
  companyid: 'acme',
  memberid: 'jdoe',
  memberHash: 'hash-value',
  memberContext: 'context-value',
  memberEmail: 'jdoe@example.com',
};

const wire = (value: unknown) => JSON.stringify(value);

describe('parseHostMessage: frame id', () => {
  it('reads {"MessageFrameID":"…"}', () => {
    expect(parseHostMessage('{"MessageFrameID":"f1"}')).toEqual({ ok: true, message: { type: 'frame_id', frameId: 'f1' } });
  });

  it.each([
    ['a number', { MessageFrameID: 7 }],
    ['an empty string', { MessageFrameID: '' }],
    ['a 201-character string', { MessageFrameID: 'f'.repeat(201) }],
    ['an object', { MessageFrameID: { id: 'f1' } }],
  ])('rejects a frame id that is %s', (_what, message) => {
    expect(parseHostMessage(wire(message))).toMatchObject({ ok: false, code: 'invalid' });
  });
});

describe('parseHostMessage: events', () => {
  it('reads the onLoad example with data.screenObject', () => {
    const raw = '{"event":"onLoad","_id":"e1","data":{"screenObject":{"screen":"ticket","id":123,"hostedAs":"pod"}}}';
    expect(parseHostMessage(raw)).toEqual({
      ok: true,
      message: { type: 'event', event: 'onLoad', _id: 'e1', screen: { screen: 'ticket', id: 123, hostedAs: 'pod' } },
    });
  });

  it('lower-cases screen and hostedAs and turns a numeric-string id into a number', () => {
    const raw = wire({ event: 'onLoad', _id: 'e1', data: { screenObject: { screen: 'Ticket', id: '123445', hostedAs: 'Pod' } } });
    expect(parseHostMessage(raw)).toMatchObject({ ok: true, message: { screen: { screen: 'ticket', id: 123445, hostedAs: 'pod' } } });
  });

  it("accepts the readme's args:{screen,id} form", () => {
    const raw = wire({ event: 'onLoad', _id: 'e1', args: { screen: 'company', id: 456 } });
    expect(parseHostMessage(raw)).toMatchObject({ ok: true, message: { screen: { screen: 'company', id: 456 } } });
  });

  it('ignores unknown extra fields and drops them from the result', () => {
    const raw = wire({ event: 'onLoad', _id: 'e1', extra: 1, data: { other: 2, screenObject: { screen: 'ticket', id: 1, colour: 'red' } } });
    const parsed = parseHostMessage(raw);
    expect(parsed).toEqual({ ok: true, message: { type: 'event', event: 'onLoad', _id: 'e1', screen: { screen: 'ticket', id: 1 } } });
  });

  it('keeps beforeSave and unknown events, with a null screen when none is usable', () => {
    expect(parseHostMessage(wire({ event: 'beforeSave', _id: 'e2' }))).toEqual({
      ok: true,
      message: { type: 'event', event: 'beforeSave', _id: 'e2', screen: null },
    });
    expect(parseHostMessage(wire({ event: 'beforeBack', _id: 'e3', data: 'odd' }))).toMatchObject({
      ok: true,
      message: { event: 'beforeBack', screen: null },
    });
  });

  it('keeps an event without _id (Nilear) for the client to judge', () => {
    expect(parseHostMessage(wire({ event: 'onLoad', data: { screenObject: { screen: 'ticket', id: 5 } } }))).toMatchObject({
      ok: true,
      message: { _id: undefined, screen: { id: 5 } },
    });
  });

  it.each([
    ['zero', 0],
    ['negative', -4],
    ['fractional', 1.5],
    ['above 2^31-1', 2_147_483_648],
    ['not digits', '12a'],
    ['with spaces', ' 12'],
    ['a boolean', true],
    ['missing', undefined],
  ])('has no screen when the id is %s', (_what, id) => {
    const parsed = parseHostMessage(wire({ event: 'onLoad', _id: 'e1', data: { screenObject: { screen: 'ticket', id } } }));
    expect(parsed).toMatchObject({ ok: true, message: { screen: null } });
  });

  it.each([
    ['a numeric event name', { event: 5, _id: 'e' }],
    ['an empty event name', { event: '', _id: 'e' }],
    ['a long event name', { event: 'x'.repeat(65), _id: 'e' }],
    ['a numeric _id', { event: 'onLoad', _id: 5 }],
    ['a long _id', { event: 'onLoad', _id: 'x'.repeat(201) }],
  ])('rejects %s', (_what, message) => {
    expect(parseHostMessage(wire(message))).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('caps screen names', () => {
    expect(ScreenObject.safeParse({ screen: 's'.repeat(65), id: 1 }).success).toBe(false);
  });
});

describe('parseHostMessage: responses', () => {
  it('reads getmemberauthentication with its data, codeBase and sso fields', () => {
    const data = { ...memberAuth, codeBase: 'v4_6_release/', ssoAccessToken: 'a', ssoIdToken: 'b' };
    const parsed = parseHostMessage(wire({ response: 'getmemberauthentication', _id: 'r1', data }));
    expect(parsed).toEqual({ ok: true, message: { type: 'member_authentication', _id: 'r1', data } });
  });

  it.each(['getMemberAuthentication', 'GETMEMBERAUTHENTICATION'])('matches the response name %j case-insensitively', (name) => {
    expect(parseHostMessage(wire({ response: name, _id: 'r1', data: memberAuth }))).toMatchObject({
      ok: true,
      message: { type: 'member_authentication' },
    });
  });

  it('accepts the Nilear form without _id and codeBase', () => {
    expect(parseHostMessage(wire({ response: 'getmemberauthentication', data: memberAuth }))).toMatchObject({
      ok: true,
      message: { type: 'member_authentication', _id: undefined },
    });
  });

  it('reads null optional fields as absent and ignores unknown fields (ConnectWise passes data through)', () => {
    const data = { ...memberAuth, memberEmail: null, ssoAccessToken: null, ssoIdToken: null, codeBase: null, newField: 1 };
    const parsed = parseHostMessage(wire({ response: 'getmemberauthentication', _id: 'r1', data }));
    expect(parsed.ok).toBe(true);
    if (parsed.ok && parsed.message.type === 'member_authentication') {
      expect(JSON.parse(JSON.stringify(parsed.message.data))).toStrictEqual({
        site: memberAuth.site,
        companyid: 'acme',
        memberid: 'jdoe',
        memberHash: 'hash-value',
        memberContext: 'context-value',
      });
    }
  });

  it('builds a member authentication response with nulls as given (the harness plays a member without SSO)', () => {
    const raw = buildMemberAuthenticationResponse({ _id: 'r1', data: { ...memberAuth, memberEmail: null, ssoIdToken: null } });
    expect(JSON.parse(raw)).toMatchObject({ data: { memberEmail: null, ssoIdToken: null } });
  });

  it.each([
    ['no data', {}],
    ['a numeric memberid', { ...memberAuth, memberid: 12 }],
    ['an empty memberHash', { ...memberAuth, memberHash: '' }],
    ['a memberHash over 2048 characters', { ...memberAuth, memberHash: 'h'.repeat(2049) }],
    ['a memberContext over 4096 characters', { ...memberAuth, memberContext: 'c'.repeat(4097) }],
    ['no companyid', { memberid: 'a', memberHash: 'b' }],
  ])('rejects member authentication with %s, without quoting any value', (_what, data) => {
    const parsed = parseHostMessage(wire({ response: 'getmemberauthentication', _id: 'r1', data }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.code).toBe('invalid');
      expect(parsed.reason).toMatch(/^getmemberauthentication response/);
      expect(parsed.reason).not.toMatch(/hash-value|context-value|hhhh|cccc/);
    }
  });

  it('says which field was wrong', () => {
    const parsed = parseHostMessage(wire({ response: 'getmemberauthentication', _id: 'r1', data: { ...memberAuth, memberid: 12 } }));
    expect(parsed).toMatchObject({ ok: false, reason: 'getmemberauthentication response data.memberid: expected string' });
  });

  it('recognises other responses so the client can call them unexpected', () => {
    expect(parseHostMessage(wire({ response: 'GetScreenObject', _id: 'r2', data: {} }))).toEqual({
      ok: true,
      message: { type: 'response', response: 'getscreenobject', _id: 'r2' },
    });
  });
});

describe('parseHostMessage: rejections before the schema', () => {
  it.each([
    ['an object instead of a string', { MessageFrameID: 'f1' }, 'not_a_string'],
    ['null', null, 'not_a_string'],
    ['a number', 42, 'not_a_string'],
    ['undefined', undefined, 'not_a_string'],
    ['non-JSON', 'ready', 'not_json'],
    ['truncated JSON', '{"MessageFrameID":', 'not_json'],
    ['a JSON array', '[{"MessageFrameID":"f1"}]', 'not_an_object'],
    ['a JSON string', '"{\\"MessageFrameID\\":\\"f1\\"}"', 'not_an_object'],
    ['JSON null', 'null', 'not_an_object'],
    ['an object of no known shape', '{"message":"ready"}', 'unknown_shape'],
    ['a request echoed back', '{"hosted_request":"getMemberAuthentication"}', 'unknown_shape'],
  ])('rejects %s', (_what, raw, code) => {
    expect(parseHostMessage(raw)).toMatchObject({ ok: false, code });
  });

  it('refuses a message over the length cap without parsing it', () => {
    const raw = wire({ MessageFrameID: 'f1', pad: 'x'.repeat(MAX_MESSAGE_LENGTH) });
    expect(parseHostMessage(raw)).toMatchObject({ ok: false, code: 'too_long' });
    const justUnder = wire({ MessageFrameID: 'f1', pad: '' });
    expect(parseHostMessage(justUnder.replace('""', `"${'x'.repeat(MAX_MESSAGE_LENGTH - justUnder.length)}"`))).toMatchObject({ ok: true });
  });

  it('never lets "__proto__" in a message become a prototype', () => {
    const raw = '{"response":"getmemberauthentication","_id":"r","data":{"companyid":"a","memberid":"b","memberHash":"c","__proto__":{"codeBase":"injected","polluted":true}},"__proto__":{"polluted":true}}';
    const parsed = parseHostMessage(raw);
    expect(parsed.ok).toBe(true);
    if (parsed.ok && parsed.message.type === 'member_authentication') {
      expect(Object.getPrototypeOf(parsed.message.data)).toBe(Object.prototype);
      expect(parsed.message.data.codeBase).toBeUndefined();
      expect(Object.keys(parsed.message.data)).not.toContain('__proto__');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps harmless "constructor" keys as plain data', () => {
    const raw = '{"response":"getmemberauthentication","_id":"r","data":{"companyid":"a","memberid":"b","memberHash":"c","constructor":{"prototype":{"polluted":true}}}}';
    expect(parseHostMessage(raw).ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('pod → host builders', () => {
  it('builds ready', () => {
    expect(buildReady()).toBe('{"message":"ready"}');
  });

  it('builds requests as hosted_request with camelCase names and frameID last', () => {
    expect(buildHostedRequest({ hosted_request: 'getMemberAuthentication', frameID: 'f1' })).toBe(
      '{"hosted_request":"getMemberAuthentication","frameID":"f1"}',
    );
    expect(buildHostedRequest({ hosted_request: 'getMemberAuthentication' })).toBe('{"hosted_request":"getMemberAuthentication"}');
    expect(buildHostedRequest({ hosted_request: 'setDirty', args: { dirty: true }, frameID: 'f1' })).toBe(
      '{"hosted_request":"setDirty","args":{"dirty":true},"frameID":"f1"}',
    );
    expect(buildHostedRequest({ hosted_request: 'openScreen', args: { newTab: false, screen: 'ticket', id: 123 }, frameID: 'f1' })).toBe(
      '{"hosted_request":"openScreen","args":{"newTab":false,"screen":"ticket","id":123},"frameID":"f1"}',
    );
    expect(buildHostedRequest({ hosted_request: 'refreshScreen', args: {}, frameID: 'f1' })).toBe(
      '{"hosted_request":"refreshScreen","args":{},"frameID":"f1"}',
    );
  });

  it('builds an event ack and a beforeSave refusal', () => {
    expect(buildEventAck({ event: 'onLoad', _id: 'e1', frameID: 'f1' })).toBe('{"event":"onLoad","_id":"e1","result":"success","frameID":"f1"}');
    expect(buildEventAck({ event: 'onLoad' })).toBe('{"event":"onLoad","result":"success"}');
    expect(buildEventRefusal({ event: 'beforeSave', _id: 'e2', errors: ['reason'], frameID: 'f1' })).toBe(
      '{"event":"beforeSave","_id":"e2","result":"failure","errors":["reason"],"frameID":"f1"}',
    );
  });

  it.each([
    ['an unknown request name', () => buildHostedRequest({ hosted_request: 'getScreenObject' } as never)],
    ['a screen other than ticket or company', () => buildHostedRequest({ hosted_request: 'openScreen', args: { newTab: false, screen: 'contact' as never, id: 1 } })],
    ['a zero id', () => buildHostedRequest({ hosted_request: 'openScreen', args: { newTab: false, screen: 'ticket', id: 0 } })],
    ['a non-boolean dirty flag', () => buildHostedRequest({ hosted_request: 'setDirty', args: { dirty: 'yes' as never } })],
    ['a refusal without reasons', () => buildEventRefusal({ event: 'beforeSave', _id: 'e', errors: [] })],
    ['an over-long reason', () => buildEventRefusal({ event: 'beforeSave', _id: 'e', errors: ['r'.repeat(501)] })],
  ])('refuses to build %s', (_what, build) => {
    expect(build).toThrow();
  });

  it('round-trips everything it builds through parsePodMessage', () => {
    for (const raw of [
      buildReady(),
      buildHostedRequest({ hosted_request: 'getMemberAuthentication', frameID: 'f' }),
      buildHostedRequest({ hosted_request: 'refreshScreen' }),
      buildEventAck({ event: 'x', _id: 'y' }),
      buildEventRefusal({ event: 'beforeSave', errors: ['no'] }),
    ]) {
      expect(parsePodMessage(raw)).toEqual({ ok: true, message: JSON.parse(raw) });
    }
  });

  it.each([
    ['the "request" key ConnectWise drops', '{"request":"getMemberAuthentication"}'],
    ['a lower-case request name', '{"hosted_request":"getmemberauthentication"}'],
    ['an object payload', { hosted_request: 'getMemberAuthentication' }],
    ['ready with another value', '{"message":"go"}'],
  ])('parsePodMessage rejects %s', (_what, raw) => {
    expect(parsePodMessage(raw).ok).toBe(false);
  });
});

describe('host → pod builders (for the harness)', () => {
  it('builds messages the pod parser accepts, sent as given', () => {
    expect(buildFrameId('f1')).toBe('{"MessageFrameID":"f1"}');
    const event = buildHostEvent({ event: 'onLoad', _id: 'e1', screenObject: { screen: 'Ticket', id: '42', hostedAs: 'Pod' } });
    expect(JSON.parse(event)).toEqual({ event: 'onLoad', _id: 'e1', data: { screenObject: { screen: 'Ticket', id: '42', hostedAs: 'Pod' } } });
    expect(parseHostMessage(event)).toMatchObject({ ok: true, message: { screen: { screen: 'ticket', id: 42, hostedAs: 'pod' } } });
    const argsForm = buildHostEvent({ event: 'onLoad', _id: 'e1', screenObject: { screen: 'ticket', id: 3 }, form: 'args' });
    expect(JSON.parse(argsForm)).toEqual({ event: 'onLoad', _id: 'e1', args: { screen: 'ticket', id: 3 } });
    const auth = buildMemberAuthenticationResponse({ _id: 'r1', data: memberAuth });
    expect(parseHostMessage(auth)).toEqual({ ok: true, message: { type: 'member_authentication', _id: 'r1', data: memberAuth } });
    expect(JSON.parse(buildMemberAuthenticationResponse({ data: memberAuth }))).not.toHaveProperty('_id');
  });

  it('refuses to build invalid host messages', () => {
    expect(() => buildFrameId('')).toThrow();
    expect(() => buildHostEvent({ event: 'onLoad', _id: 'e', screenObject: { screen: 'ticket', id: 0 } })).toThrow();
    expect(() => buildMemberAuthenticationResponse({ data: { ...memberAuth, memberHash: '' } })).toThrow();
    expect(() => buildMemberAuthenticationResponse({ response: 'other', data: memberAuth })).toThrow();
  });
});

describe('BeforeSaveAnswer', () => {
  it('is success, or failure with one to ten short reasons', () => {
    expect(BeforeSaveAnswer.safeParse({ result: 'success' }).success).toBe(true);
    expect(BeforeSaveAnswer.safeParse({ result: 'failure', errors: ['Finish the note first.'] }).success).toBe(true);
    expect(BeforeSaveAnswer.safeParse({ result: 'failure', errors: [] }).success).toBe(false);
    expect(BeforeSaveAnswer.safeParse({ result: 'failure' }).success).toBe(false);
    expect(BeforeSaveAnswer.safeParse({ result: 'maybe' }).success).toBe(false);
    expect(BeforeSaveAnswer.safeParse(true).success).toBe(false);
  });
});
