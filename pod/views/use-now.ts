import { useEffect, useState } from 'preact/hooks';

/**
 * The current time, re-read every `everyMs` so "due in 12 min" counts down while the
 * ticket stays open. A fixed `now` (tests, screenshots) disables the timer.
 */
export function useNow(fixed: number | undefined, everyMs = 30_000): number {
  const [now, setNow] = useState(() => fixed ?? Date.now());
  useEffect(() => {
    if (fixed !== undefined) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [fixed, everyMs]);
  return fixed ?? now;
}
