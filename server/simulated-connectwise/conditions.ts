import type { Json, JsonRecord } from './world.ts';

/**
 * ConnectWise's `conditions` language (reference §4.3): strings in double quotes, datetimes in
 * brackets, bare booleans, `/` for nested fields; operators = != < <= > >= contains like in,
 * `not`, `and`, `or` and parentheses. Field names and text compare case-insensitively, as on
 * ConnectWise's SQL Server.
 */

export class ConditionsError extends Error {
  override name = 'ConditionsError';
}

type Value = { kind: 'string'; v: string } | { kind: 'number'; v: number } | { kind: 'date'; v: number } | { kind: 'bool'; v: boolean } | { kind: 'null' };

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'like' | 'in';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'cmp'; path: string[]; op: Op; negate: boolean; values: Value[] };

type Token =
  | { t: 'punct'; v: '(' | ')' | ',' }
  | { t: 'op'; v: '=' | '!=' | '<' | '<=' | '>' | '>=' }
  | { t: 'word'; v: string }
  | { t: 'value'; v: Value };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: 'punct', v: ch });
      i++;
    } else if (ch === '!' || ch === '<' || ch === '>' || ch === '=') {
      const two = input.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        tokens.push({ t: 'op', v: two });
        i += 2;
      } else if (ch === '!') {
        throw new ConditionsError(`unexpected "!" at position ${i}`);
      } else {
        tokens.push({ t: 'op', v: ch as '<' | '>' | '=' });
        i++;
      }
    } else if (ch === '"') {
      let s = '';
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        s += input[i];
        i++;
      }
      if (i >= input.length) throw new ConditionsError('unterminated string');
      i++;
      tokens.push({ t: 'value', v: { kind: 'string', v: s } });
    } else if (ch === '[') {
      const end = input.indexOf(']', i);
      if (end < 0) throw new ConditionsError('unterminated [date]');
      const text = input.slice(i + 1, end).trim();
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) throw new ConditionsError(`"${text}" is not a date`);
      tokens.push({ t: 'value', v: { kind: 'date', v: ms } });
      i = end + 1;
    } else if (/[-0-9]/.test(ch) && /^-?\d/.test(input.slice(i))) {
      const m = /^-?\d+(\.\d+)?/.exec(input.slice(i));
      const text = m?.[0] ?? '';
      tokens.push({ t: 'value', v: { kind: 'number', v: Number(text) } });
      i += text.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(input.slice(i));
      const word = m?.[0] ?? '';
      const lower = word.toLowerCase();
      if (lower === 'true' || lower === 'false') tokens.push({ t: 'value', v: { kind: 'bool', v: lower === 'true' } });
      else if (lower === 'null') tokens.push({ t: 'value', v: { kind: 'null' } });
      else tokens.push({ t: 'word', v: word });
      i += word.length;
    } else if (ch === "'") {
      // Single quotes are silently ignored by ConnectWise per one report; refusing is clearer.
      throw new ConditionsError('strings take double quotes, not single quotes');
    } else {
      throw new ConditionsError(`unexpected "${ch}" at position ${i}`);
    }
  }
  return tokens;
}

const keyword = (tok: Token | undefined, w: string) => tok?.t === 'word' && tok.v.toLowerCase() === w;

export function parseConditions(input: string): Condition {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  const value = (): Value => {
    const tok = next();
    if (tok === undefined) throw new ConditionsError('expected a value at the end');
    if (tok.t !== 'value') throw new ConditionsError(`expected a value but found "${tok.v}"`);
    return tok.v;
  };

  const comparison = (): Condition => {
    const field = next();
    if (field?.t !== 'word') throw new ConditionsError('expected a field name');
    const path = field.v.split('/').filter((p) => p !== '');
    let negate = false;
    if (keyword(peek(), 'not')) {
      negate = true;
      pos++;
    }
    const opTok = next();
    if (opTok?.t === 'op' && !negate) return { kind: 'cmp', path, op: opTok.v, negate: false, values: [value()] };
    if (keyword(opTok, 'contains')) return { kind: 'cmp', path, op: 'contains', negate, values: [value()] };
    if (keyword(opTok, 'like')) return { kind: 'cmp', path, op: 'like', negate, values: [value()] };
    if (keyword(opTok, 'in')) {
      const open = next();
      if (open?.t !== 'punct' || open.v !== '(') throw new ConditionsError('expected "(" after in');
      const values: Value[] = [value()];
      while (peek()?.t === 'punct' && peek()?.v === ',') {
        pos++;
        values.push(value());
      }
      const close = next();
      if (close?.t !== 'punct' || close.v !== ')') throw new ConditionsError('expected ")" to close in (…)');
      return { kind: 'cmp', path, op: 'in', negate, values };
    }
    throw new ConditionsError(`expected an operator after ${field.v}`);
  };

  const unary = (): Condition => {
    if (keyword(peek(), 'not')) {
      pos++;
      return { kind: 'not', inner: unary() };
    }
    const tok = peek();
    if (tok?.t === 'punct' && tok.v === '(') {
      pos++;
      const inner = or();
      const close = next();
      if (close?.t !== 'punct' || close.v !== ')') throw new ConditionsError('missing ")"');
      return inner;
    }
    return comparison();
  };

  const and = (): Condition => {
    let left = unary();
    while (keyword(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };

  const or = (): Condition => {
    let left = and();
    while (keyword(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  if (tokens.length === 0) throw new ConditionsError('conditions are empty');
  const result = or();
  if (pos < tokens.length) throw new ConditionsError('unexpected text after the end of the conditions');
  return result;
}

/** Reads a nested field case-insensitively: ["company","id"] on a ticket. */
export function readPath(record: JsonRecord, path: readonly string[]): Json | undefined {
  let current: Json | undefined = record;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const lower = segment.toLowerCase();
    const key: string | undefined = Object.keys(current).find((k) => k.toLowerCase() === lower);
    current = key === undefined ? undefined : current[key];
  }
  return current;
}

function compare(actual: Json | undefined, expected: Value): number | null {
  if (expected.kind === 'null' || actual === undefined || actual === null) return null;
  if (expected.kind === 'number') {
    const n = typeof actual === 'number' ? actual : typeof actual === 'string' ? Number(actual) : NaN;
    return Number.isNaN(n) ? null : n - expected.v;
  }
  if (expected.kind === 'date') {
    const ms = typeof actual === 'string' ? Date.parse(actual) : NaN;
    return Number.isNaN(ms) ? null : ms - expected.v;
  }
  if (expected.kind === 'bool') return typeof actual === 'boolean' ? Number(actual) - Number(expected.v) : null;
  const a = typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean' ? String(actual).toLowerCase() : null;
  if (a === null) return null;
  const b = expected.v.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'is');
}

function test(record: JsonRecord, c: Condition): boolean {
  switch (c.kind) {
    case 'and':
      return test(record, c.left) && test(record, c.right);
    case 'or':
      return test(record, c.left) || test(record, c.right);
    case 'not':
      return !test(record, c.inner);
    case 'cmp': {
      const actual = readPath(record, c.path);
      let result: boolean;
      const first = c.values[0] ?? { kind: 'null' };
      switch (c.op) {
        case '=':
          result = first.kind === 'null' ? actual === null || actual === undefined : compare(actual, first) === 0;
          break;
        case '!=':
          result = first.kind === 'null' ? actual !== null && actual !== undefined : compare(actual, first) !== 0;
          break;
        case '<':
        case '<=':
        case '>':
        case '>=': {
          const d = compare(actual, first);
          result = d !== null && (c.op === '<' ? d < 0 : c.op === '<=' ? d <= 0 : c.op === '>' ? d > 0 : d >= 0);
          break;
        }
        case 'in':
          result = c.values.some((v) => compare(actual, v) === 0);
          break;
        case 'contains':
          result = typeof actual === 'string' && first.kind === 'string' && actual.toLowerCase().includes(first.v.toLowerCase());
          break;
        case 'like':
          result = typeof actual === 'string' && first.kind === 'string' && likeToRegExp(first.v).test(actual);
          break;
      }
      return c.negate ? !result : result;
    }
  }
}

export function matchesConditions(record: JsonRecord, condition: Condition | null): boolean {
  return condition === null || test(record, condition);
}
