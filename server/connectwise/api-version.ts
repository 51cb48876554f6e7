/**
 * The ConnectWise REST model version every call pins. ConnectWise answers the newest model
 * when no version is sent, so an unpinned client breaks when ConnectWise renames a field
 * (docs/connectwise.md §4.2). Change it here, and only here, after checking the fields we read.
 */
export const CONNECTWISE_API_VERSION = '2025.8';

export const CONNECTWISE_ACCEPT = `application/vnd.connectwise.com+json; version=${CONNECTWISE_API_VERSION}`;
