import os from 'node:os';

/** The machine the figures were measured on, for the table's footnote and the README. */
export function describeMachine(chromiumVersion: string | null): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM`;
  return [
    `${model} × ${cpus.length} logical CPUs`,
    memory,
    `${os.type()} ${os.release()} ${os.arch()}`,
    `Node ${process.versions.node}`,
    `Chromium ${chromiumVersion ?? 'not run'}`,
  ].join(', ');
}
