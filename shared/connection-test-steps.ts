import type { StepId } from './admin-api.ts';

/**
 * The connection test's steps in an admin's words. The console's checklist shows `label`;
 * messages name a step with `refusal` (what went wrong there), so no internal step id ever
 * reaches a person (issue 11 item 9).
 */
export const stepWords: Record<StepId, { label: string; refusal: string }> = {
  site: { label: 'The site answers', refusal: 'the site did not answer' },
  company: { label: 'The company ID is known there', refusal: 'the company ID was not confirmed' },
  keys: { label: 'The API keys are accepted', refusal: 'the API keys were refused' },
  client_id: { label: 'The clientId is accepted', refusal: 'the clientId was refused' },
  api_member: { label: 'The API member is found', refusal: 'the API member was not found' },
  security_role: { label: "The API member's security role can be read", refusal: 'the security role could not be read' },
  permissions: { label: 'The role has every permission the pod needs', refusal: 'permissions are missing' },
  boards: { label: 'Boards the API member can see', refusal: 'the boards could not be listed' },
  pod_registration: { label: 'The pod is registered in Manage Hosted API', refusal: 'the registration could not be checked' },
};

/**
 * The steps a change of connection settings must pass before it replaces working ones
 * (issue 11 item 1): whether ConnectWise answers these settings at all. Permission
 * warnings and later steps never block a save.
 */
export const blockingStepIds = ['site', 'company', 'keys', 'client_id', 'api_member'] as const satisfies readonly StepId[];
