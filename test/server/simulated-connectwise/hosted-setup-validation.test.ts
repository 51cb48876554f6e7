import { describe, expect, it } from 'vitest';
import { validateHostedSetup, writableFields } from '../../../server/simulated-connectwise/hosted-setup-validation.ts';

const screens = [1, 2, 4];
const valid = { screenId: 4, description: 'Ticket context', url: 'https://pod.example.com/x?id=[cw_id]', type: 'Pod', origin: 'https://pod.example.com', podHeight: 900 };
const fieldsOf = (body: Record<string, unknown>) => validateHostedSetup(body as never, screens).map((e) => `${e.field}:${e.code}`);

describe('Hosted API setup validation', () => {
  it('accepts the reference example body', () => {
    expect(fieldsOf(valid)).toEqual([]);
  });

  it('requires screenId, description, url and type', () => {
    expect(fieldsOf({})).toEqual(['screenId:MissingRequiredField', 'description:MissingRequiredField', 'url:MissingRequiredField', 'type:MissingRequiredField']);
  });

  it('enforces the maximum lengths', () => {
    expect(fieldsOf({ ...valid, description: 'd'.repeat(50) })).toEqual([]);
    expect(fieldsOf({ ...valid, description: 'd'.repeat(51), url: 'u'.repeat(1025), origin: 'o'.repeat(101), clientId: 'c'.repeat(37) })).toEqual([
      'description:MaxLengthExceeded',
      'url:MaxLengthExceeded',
      'origin:MaxLengthExceeded',
      'clientId:MaxLengthExceeded',
    ]);
  });

  it('checks the type, the screen and integer fields', () => {
    expect(fieldsOf({ ...valid, type: 'pod' })).toEqual(['type:InvalidField']);
    expect(fieldsOf({ ...valid, screenId: 99 })).toEqual(['screenId:NotFound']);
    expect(fieldsOf({ ...valid, podHeight: '900' })).toEqual(['podHeight:InvalidField']);
  });

  it('requires button text for a toolbar button', () => {
    expect(fieldsOf({ ...valid, type: 'ToolbarButton' })).toEqual(['toolbarButtonText:MissingRequiredField']);
  });

  it('drops read-only fields from a body', () => {
    expect(writableFields({ ...valid, id: 3, createdBy: 'x', dateCreated: 'y', _info: {} })).toEqual(valid);
  });
});
