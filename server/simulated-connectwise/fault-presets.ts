import type { FaultPreset } from '../../shared/harness-api.ts';
import { tolerancePresets } from './tolerance-presets.ts';

/** Ready-made fault scenarios the harness offers as buttons. */
export const faultPresets: FaultPreset[] = [
  { id: 'slow', label: 'Slow ConnectWise (2 s)', description: 'Every ConnectWise request takes 2 seconds longer.', rules: [{ kind: 'latency', ms: 2000 }] },
  { id: 'rate-limited-once', label: '429 once', description: 'The next ConnectWise request is throttled with Retry-After: 1.', rules: [{ kind: 'rate-limit', retryAfterSeconds: 1, count: 1 }] },
  { id: 'rate-limited', label: '429 Too Many Requests', description: 'Every request is throttled with Retry-After: 5.', rules: [{ kind: 'rate-limit', retryAfterSeconds: 5 }] },
  { id: 'down-503', label: 'ConnectWise down (503)', description: 'Every request answers 503 Service Unavailable.', rules: [{ kind: 'server-error', status: 503 }] },
  { id: 'error-500-twice', label: '500 twice', description: 'The next two requests answer 500, then ConnectWise recovers.', rules: [{ kind: 'server-error', status: 500, count: 2 }] },
  { id: 'ticket-timeout', label: 'Ticket read hangs', description: 'Reads of tickets never answer until the caller gives up.', rules: [{ kind: 'timeout', path: 'service/tickets/*' }] },
  { id: 'html-login', label: 'HTML login page', description: 'ConnectWise answers with its login page instead of JSON.', rules: [{ kind: 'html-login' }] },
  { id: 'malformed-json', label: 'Malformed JSON', description: 'Answers claim JSON but are not.', rules: [{ kind: 'malformed-json' }] },
  { id: 'truncated-json', label: 'Truncated JSON', description: 'Answers are cut in half.', rules: [{ kind: 'truncated-json' }] },
  { id: 'reset', label: 'Connection reset', description: 'Connections are reset without an answer.', rules: [{ kind: 'reset' }] },
  { id: 'member-check-down', label: 'Member check fails (503)', description: 'Only system/myMembers/info answers 503.', rules: [{ kind: 'server-error', status: 503, path: 'system/myMembers/info' }] },
  ...tolerancePresets,
];
