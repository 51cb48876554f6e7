/** One line of the bench's table: a figure, its baseline or floor, and the target it must meet. */
export type Row = {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null: informational, no target. */
  pass: boolean | null;
};

export const row = (r: Partial<Row> & Pick<Row, 'figure' | 'value'>): Row => ({
  baseline: '',
  ratio: '',
  target: '',
  pass: null,
  ...r,
});

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
export const times = (n: number) => `${n.toFixed(2)}×`;
export const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')} req/s`;

/** Plain-text table with aligned columns (also valid as a Markdown table). */
export function formatTable(rows: readonly Row[]): string {
  const head = ['Figure', 'Value', 'Baseline / floor', 'Ratio', 'Target', 'Result'];
  const cells = rows.map((r) => [r.figure, r.value, r.baseline, r.ratio, r.target, r.pass === null ? 'info' : r.pass ? 'pass' : 'FAIL']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
