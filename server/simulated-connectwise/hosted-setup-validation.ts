import type { CwValidationError } from './cw-errors.ts';
import type { JsonRecord } from './world.ts';

/**
 * Field rules of `system/connectwisehostedsetups` (reference §5.4). Answers ConnectWise's
 * validation errors: `{code:"InvalidObject", message, errors:[{code, message, resource, field}]}`.
 */
const resource = 'connectWiseHostedSetup';

const maxLengths: Record<string, number> = {
  description: 50,
  url: 1024,
  origin: 100,
  clientId: 36,
  toolbarButtonText: 50,
  toolbarButtonToolTip: 100,
};

const readOnly = ['id', 'createdBy', 'dateCreated', '_info'];
const types = ['Tab', 'Pod', 'ToolbarButton'];

export function validateHostedSetup(body: JsonRecord, screenIds: number[]): CwValidationError[] {
  const errors: CwValidationError[] = [];
  const push = (code: string, field: string, message: string) => errors.push({ code, message, resource, field });
  const required = (field: string) => {
    const v = body[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) push('MissingRequiredField', field, `The ${field} field is required.`);
  };

  required('screenId');
  required('description');
  required('url');
  required('type');

  for (const [field, max] of Object.entries(maxLengths)) {
    const v = body[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') push('InvalidField', field, `${field} must be a string.`);
    else if (v.length > max) push('MaxLengthExceeded', field, `${field} has a maximum length of ${max} characters.`);
  }
  const screenId = body['screenId'];
  if (screenId !== undefined && screenId !== null) {
    if (typeof screenId !== 'number' || !Number.isInteger(screenId)) push('InvalidField', 'screenId', 'screenId must be an integer.');
    else if (!screenIds.includes(screenId)) push('NotFound', 'screenId', `Screen ${screenId} not found.`);
  }
  const type = body['type'];
  if (type !== undefined && type !== null && (typeof type !== 'string' || !types.includes(type))) {
    push('InvalidField', 'type', 'type must be one of Tab, Pod, ToolbarButton.');
  }
  for (const field of ['podHeight', 'toolbarButtonIconDocumentId', 'toolbarButtonDialogHeight', 'toolbarButtonDialogWidth']) {
    const v = body[field];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isInteger(v))) push('InvalidField', field, `${field} must be an integer.`);
  }
  if (type === 'ToolbarButton') {
    const text = body['toolbarButtonText'];
    if (typeof text !== 'string' || text.trim() === '') push('MissingRequiredField', 'toolbarButtonText', 'The toolbarButtonText field is required for a toolbar button.');
  }
  for (const flag of ['disabledFlag', 'locationsEnabledFlag']) {
    const v = body[flag];
    if (v !== undefined && v !== null && typeof v !== 'boolean') push('InvalidField', flag, `${flag} must be true or false.`);
  }
  const locationIds = body['locationIds'];
  if (locationIds !== undefined && locationIds !== null && (!Array.isArray(locationIds) || !locationIds.every((x) => typeof x === 'number' && Number.isInteger(x)))) {
    push('InvalidField', 'locationIds', 'locationIds must be a list of integers.');
  }
  return errors;
}

/** Keeps writable fields only: ConnectWise ignores read-only ones in a body. */
export function writableFields(body: JsonRecord): JsonRecord {
  const out: JsonRecord = {};
  for (const [k, v] of Object.entries(body)) if (!readOnly.includes(k)) out[k] = v;
  return out;
}
