import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { immediateTransaction } from '../../../server/tenants/transaction.ts';
import { tempDir } from './fixtures.ts';

async function db(): Promise<DatabaseSync> {
  const d = new DatabaseSync(path.join(await tempDir(), 't.db'));
  d.exec('CREATE TABLE t (v INTEGER)');
  return d;
}

const count = (d: DatabaseSync) => Number(d.prepare('SELECT count(*) AS n FROM t').get()?.['n']);

describe('immediateTransaction', () => {
  it('commits what the function wrote and returns its result', async () => {
    const d = await db();
    expect(
      immediateTransaction(d, () => {
        d.exec('INSERT INTO t VALUES (1), (2)');
        return 'done';
      }),
    ).toBe('done');
    expect(count(d)).toBe(2);
    expect(d.isTransaction).toBe(false);
  });

  it('rolls back everything when the function throws, and rethrows', async () => {
    const d = await db();
    expect(() =>
      immediateTransaction(d, () => {
        d.exec('INSERT INTO t VALUES (1)');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(count(d)).toBe(0);
    expect(d.isTransaction).toBe(false);
  });

  it('holds the write lock from the start, so another connection cannot write meanwhile', async () => {
    const file = path.join(await tempDir(), 'lock.db');
    const a = new DatabaseSync(file);
    a.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER)');
    const b = new DatabaseSync(file, { timeout: 0 });
    immediateTransaction(a, () => {
      expect(() => b.exec('INSERT INTO t VALUES (1)')).toThrow(/locked|busy/i);
    });
    b.exec('INSERT INTO t VALUES (1)');
    expect(count(a)).toBe(1);
    a.close();
    b.close();
  });
});
