import { ApiRequestError } from '../api';
import { messageOf } from '../excel/errors';
import { byId, el } from './dom';

export type MessageKind = 'info' | 'success' | 'warning' | 'error';

/**
 * The pane's one status area, next to its action buttons: each outcome replaces the one before
 * (never a pile), is scrolled into view, and is announced to screen readers (the area is
 * aria-live; errors are alerts). Shown as a Fluent message bar.
 */
export function showMessage(text: string, kind: MessageKind = 'info', title?: string): void {
  const area = byId('status');
  const lines = text.split('\n').map((line) => el('span', { className: 'line' }, line));
  const bar = el(
    'fluent-message-bar' as 'div',
    { intent: kind, layout: 'multiline', role: kind === 'error' ? 'alert' : undefined, className: `message ${kind}`, 'data-kind': kind },
    title ? el('strong', { className: 'title' }, title) : undefined,
    ...lines,
  );
  const dismiss = el(
    'fluent-button' as 'button',
    { slot: 'dismiss', type: 'button', appearance: 'transparent', size: 'small', 'aria-label': 'Dismiss', className: 'dismiss' },
    '✕',
  );
  dismiss.addEventListener('click', () => bar.remove());
  bar.append(dismiss);
  area.replaceChildren(bar);
  // The area may be below the fold in a 350 px pane: bring the outcome into view.
  area.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
}

/** An error as a banner whose title says what kind of trouble it is and whose text says what to do. */
export function showError(error: unknown, context?: string): void {
  const text = context ? `${context}: ${messageOf(error)}` : messageOf(error);
  showMessage(text, 'error', errorTitle(error));
}

function errorTitle(error: unknown): string {
  if (!(error instanceof ApiRequestError)) return 'Something went wrong';
  if (error.status === 403) return 'Your DCS account cannot read this data';
  if (error.needsSignIn) return 'Signed out';
  if (error.status === 0) return 'Server not reachable';
  if (error.status === 400) return 'Check the request';
  if (error.status === 429) return 'The server is busy';
  return 'The server could not answer';
}

export function clearMessages(): void {
  byId('status').replaceChildren();
}
