import type { HostedApiClient, ScreenObject } from '../protocol/types.ts';

/**
 * The part of the Hosted API protocol client the controller and the views use. A `Pick`
 * of the real contract, so a test fake that plays ConnectWise needs only these members.
 */
export type PodHost = Pick<
  HostedApiClient,
  | 'status'
  | 'frameId'
  | 'acceptedOrigin'
  | 'start'
  | 'requestMemberAuthentication'
  | 'onScreen'
  | 'setBeforeSaveHandler'
  | 'openScreen'
  | 'stats'
  | 'dispose'
>;

export type HostScreen = ScreenObject;
