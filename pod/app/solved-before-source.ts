import { signal } from '@preact/signals';
import type { SolvedBefore } from '../../shared/solved-before.ts';

/**
 * What the Solved before card needs from the controller: search (with the pod's session) and
 * open a hit in a new ConnectWise tab. main.tsx provides it once; the card reads it, so the
 * card mounts with one line and the ticket view's props stay as they are.
 */
export interface SolvedBeforeSource {
  find(ticketId: number, signal: AbortSignal): Promise<SolvedBefore>;
  open(ticketId: number): void;
}

const source = signal<SolvedBeforeSource | null>(null);

export function provideSolvedBefore(value: SolvedBeforeSource | null): void {
  source.value = value;
}

/** Null until main.tsx wires it (the card then stays hidden). */
export function solvedBeforeSource(): SolvedBeforeSource | null {
  return source.value;
}
