import { byId, el } from './dom';

export type MessageKind = 'info' | 'success' | 'error';

/** Fluent-style message bars under the pane's actions. */
export function showMessage(text: string, kind: MessageKind = 'info'): void {
  const box = byId('messages');
  const close = el('button', { className: 'close', type: 'button', 'aria-label': 'Dismiss' }, '✕');
  const bar = el('div', { className: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, el('span', {}, text), close);
  close.addEventListener('click', () => bar.remove());
  box.prepend(bar);
  while (box.children.length > 4) box.lastElementChild?.remove();
}

export function clearMessages(): void {
  byId('messages').replaceChildren();
}
