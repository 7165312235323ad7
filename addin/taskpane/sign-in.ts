import { apiClient, session } from '../api';
import { messageOf } from '../excel/errors';
import { byId, show } from './dom';
import { clearMessages, showMessage } from './messages';

/**
 * Sign-in and sign-out. The password goes straight from its field into the sign-in request and
 * the field is cleared whatever the outcome; only the server's token is kept, in memory.
 */
export async function setUpSignIn(): Promise<void> {
  const form = byId<HTMLFormElement>('sign-in-form');
  const username = byId<HTMLInputElement>('username');
  const password = byId<HTMLInputElement>('password');
  const button = byId<HTMLButtonElement>('sign-in-button');
  const publicButton = byId<HTMLButtonElement>('public-access');
  const serverLine = byId('server-line');

  session.onChange(render);
  render();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn();
  });
  publicButton.addEventListener('click', () => {
    apiClient().usePublicAccess();
    clearMessages();
  });
  byId('sign-out').addEventListener('click', () => {
    void apiClient().signOut();
    showMessage('Signed out.', 'info');
  });

  try {
    const health = await apiClient().health();
    show(publicButton, health.publicAccess);
    serverLine.textContent = `Server ${health.version} connected to ${health.simulator ? 'the built-in DCS simulator (try demo / demo)' : (health.dcsUrl ?? 'DCS')}.`;
  } catch (error) {
    serverLine.textContent = messageOf(error);
  }

  async function signIn(): Promise<void> {
    const name = username.value.trim();
    const secret = password.value;
    password.value = '';
    if (name === '' || secret === '') {
      showMessage('Enter your DCS user name and password.', 'error');
      (name === '' ? username : password).focus();
      return;
    }
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      await apiClient().signIn(name, secret);
      clearMessages();
    } catch (error) {
      showMessage(messageOf(error), 'error');
      password.focus();
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  }

  function render(): void {
    const user = session.user;
    show(byId('sign-in'), !user);
    show(byId('signed-in'), !!user);
    show(byId('work'), !!user);
    if (user) {
      byId('who').textContent = user.username;
      byId('role').textContent = user.public ? '(public access)' : `(${user.role})`;
      byId('persona-initials').textContent = user.public ? 'P' : user.username.slice(0, 2);
    }
  }
}
