import type { FaultPreset } from '../../shared/harness-api.ts';

/**
 * Issue 14: ConnectWise answers our code must tolerate, as harness buttons. Each is a shape
 * ConnectWise's 2025.8 OpenAPI allows or a real deployment has been seen to produce.
 */
export const tolerancePresets: FaultPreset[] = [
  {
    id: 'null-references',
    label: 'Null reference ids',
    description: 'Every reference inside a record (board, status, location, company…) has "id": null, as the OpenAPI (NullableInt32) allows.',
    rules: [{ kind: 'null-references' }],
  },
  {
    id: 'code-only-errors',
    label: 'Errors without message',
    description: 'ConnectWise error bodies carry only their "code" (the OpenAPI makes "message" optional).',
    rules: [{ kind: 'code-only-errors' }],
  },
  {
    id: 'member-check-html',
    label: 'Member check answers HTML (200)',
    description: 'system/myMembers/info answers 200 with an HTML page on every host: a proxy page or schema drift, not a forged member.',
    rules: [{ kind: 'html-login', path: 'system/myMembers/info' }],
  },
  {
    id: 'no-hosted-setups',
    label: 'Version without hosted setups',
    description: 'system/connectwisehostedsetups answers 404 "endpoint does not exist", as on a ConnectWise version without it.',
    rules: [{ kind: 'missing-endpoint', path: 'system/connectwisehostedsetups*' }],
  },
];
