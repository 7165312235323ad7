/**
 * What kind of trouble an error is, for the pane's error banner: its title, and the section of the
 * help page (addin/help/help.html) about it, which the banner links to. No DOM: tests call it in Node.
 */
import { ApiRequestError } from '../api';

/** The help page's sections that errors link to; test/addin/help.test.ts holds each to an id there. */
export const HELP_SECTIONS = ['signed-out', 'not-allowed', 'check-request', 'busy', 'unreachable', 'server-error', 'problems'] as const;
export type HelpSection = (typeof HELP_SECTIONS)[number];

export function errorHelp(error: unknown): { title: string; section: HelpSection } {
  if (!(error instanceof ApiRequestError)) return { title: 'Something went wrong', section: 'problems' };
  if (error.status === 403) return { title: 'Your DCS account cannot read this data', section: 'not-allowed' };
  if (error.needsSignIn) return { title: 'Signed out', section: 'signed-out' };
  if (error.status === 0) return { title: 'Server not reachable', section: 'unreachable' };
  if (error.status === 400) return { title: 'Check the request', section: 'check-request' };
  if (error.status === 409) return { title: 'That name is taken', section: 'check-request' };
  if (error.status === 429) return { title: 'The server is busy', section: 'busy' };
  return { title: 'The server could not answer', section: 'server-error' };
}
