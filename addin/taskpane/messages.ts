import { messageOf } from '../excel/errors';
import { byId, el } from './dom';
import { errorHelp, type HelpSection } from './error-help';

export type MessageKind = 'info' | 'success' | 'warning' | 'error';

/** A button in a message that does what the message advises, in one click. */
export interface MessageAction {
  label: string;
  run: () => void;
}

/**
 * The pane's one status area, next to its action buttons: each outcome replaces the one before
 * (never a pile), is scrolled into view, and is announced to screen readers (the area is
 * aria-live; errors are alerts). Shown as a Fluent message bar, drawn with Fluent's tokens (taskpane.css).
 */
export function showMessage(text: string, kind: MessageKind = 'info', title?: string, help?: HelpSection, action?: MessageAction): void {
  const area = byId('status');
  const lines = text.split('\n').map((line) => el('span', { className: 'line' }, line));
  // The help page opens in a browser window beside Excel, at the section about this trouble.
  const helpLink = help
    ? el('a', { className: 'line help-link', href: `help.html#${help}`, target: '_blank', rel: 'noopener' }, 'What to do (help)')
    : undefined;
  const actionButton = action
    ? el('fluent-button' as 'button', { slot: 'actions', type: 'button', size: 'small', className: 'message-action' }, action.label)
    : undefined;
  actionButton?.addEventListener('click', () => {
    bar.remove();
    action?.run();
  });
  const bar = el(
    'div',
    { role: kind === 'error' ? 'alert' : undefined, className: `message ${kind}`, 'data-kind': kind },
    title ? el('strong', { className: 'title' }, title) : undefined,
    ...lines,
    helpLink,
    actionButton,
  );
  const dismiss = el('fluent-button' as 'button', { type: 'button', appearance: 'stealth', 'aria-label': 'Dismiss', className: 'dismiss small' }, '✕');
  dismiss.addEventListener('click', () => bar.remove());
  bar.append(dismiss);
  area.replaceChildren(bar);
  // The area may be below the fold in a 350 px pane: bring the outcome into view.
  area.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
}

/** An error as a banner whose title says what kind of trouble it is, whose text says what to do, and which links to the help about it. */
export function showError(error: unknown, context?: string): void {
  const text = context ? `${context}: ${messageOf(error)}` : messageOf(error);
  const { title, section } = errorHelp(error);
  showMessage(text, 'error', title, section);
}

export function clearMessages(): void {
  byId('status').replaceChildren();
}
