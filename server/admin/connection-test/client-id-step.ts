import type { Step } from './step.ts';

/** The clientId is accepted: judged by the keys step, whose calls answer both questions. */
export const clientIdStep: Step = {
  id: 'client_id',
  async run({ found }) {
    const verdict = found.keysVerdict;
    if (verdict === null) return { status: 'skipped', message: 'Not checked.' };
    const keysFailed = verdict.keys.status === 'failed';
    // Bad keys end the test here whether or not the clientId could be judged.
    return keysFailed ? { ...verdict.clientId, halt: true } : verdict.clientId;
  },
};
