import type { HandshakeStatus } from '../types.ts';

const stepText: Record<HandshakeStatus, string> = {
  idle: 'the pod had not sent "ready" yet',
  ready_sent: 'the pod sent "ready" but ConnectWise never answered with a frame id (check the ConnectWise site in the pod settings)',
  framed: 'ConnectWise answered "ready" but not this request',
  authenticated: 'ConnectWise answered an earlier request but not this one',
};

/** ConnectWise did not answer a request in time; says how far the handshake had got. */
export class HostedApiTimeoutError extends Error {
  override name = 'HostedApiTimeoutError';
  readonly request: string;
  readonly step: HandshakeStatus;
  readonly timeoutMs: number;

  constructor(request: string, step: HandshakeStatus, timeoutMs: number) {
    super(`No answer to ${request} within ${timeoutMs} ms: ${stepText[step]}.`);
    this.request = request;
    this.step = step;
    this.timeoutMs = timeoutMs;
  }
}
