import { apiClient, restoreSession, session } from '../api';
import { messageOf } from '../excel/errors';
import { byId, show } from './dom';
import { clearMessages, showError, showMessage } from './messages';

/** What happens around a sign-in that the pane does not own (the formulas' recalculation). */
export interface SignInHooks {
  /** After any sign-in, resumed or new: DCS formulas that showed "sign in" fetch again. */
  signedIn(): Promise<void>;
  /** After sign-out: the picks of the last user are forgotten. */
  signedOut(): void;
}

/**
 * Sign-in and sign-out. The password goes straight from its field into the sign-in request and
 * the field is cleared whatever the outcome. The server's token (never the password) is kept in
 * the add-in's storage, so a reopened workbook is still signed in until the user signs out or
 * the server ends the session; then the pane asks again.
 */
export async function setUpSignIn(hooks: SignInHooks): Promise<void> {
  const fields: SignInFields = {
    form: byId<HTMLFormElement>('sign-in-form'),
    username: byId<HTMLInputElement>('username'),
    password: byId<HTMLInputElement>('password'),
    button: byId<HTMLButtonElement>('sign-in-button'),
  };
  const publicButton = byId<HTMLButtonElement>('public-access');

  session.onChange(render);
  wireForm(fields, hooks);
  publicButton.addEventListener('click', () => {
    apiClient().usePublicAccess();
    clearMessages();
  });
  byId('sign-out').addEventListener('click', () => {
    void apiClient().signOut();
    hooks.signedOut();
    showMessage('Signed out. This computer no longer keeps your sign-in.', 'info');
  });

  await resume(hooks);
  render();
  await showServer(publicButton, byId('server-line'));
}

interface SignInFields {
  form: HTMLFormElement;
  username: HTMLInputElement;
  password: HTMLInputElement;
  button: HTMLButtonElement;
}

function wireForm(fields: SignInFields, hooks: SignInHooks): void {
  fields.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn(fields, hooks);
  });
  // Browsers submit a form on Enter only through a native submit button; the Fluent button is not
  // one, and is no `type="submit"` either (Fluent 2.6's submit proxy fails to detach when the
  // submission changes the button): a click and Enter both ask the form to submit.
  fields.button.addEventListener('click', () => fields.form.requestSubmit());
  for (const field of [fields.username, fields.password]) {
    field.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        fields.form.requestSubmit();
      }
    });
  }
}

/** Which server and DCS the pane talks to, and whether it offers public access. */
async function showServer(publicButton: HTMLButtonElement, serverLine: HTMLElement): Promise<void> {
  try {
    const health = await apiClient().health();
    show(publicButton, health.publicAccess);
    serverLine.textContent = `Server ${health.version} connected to ${health.simulator ? 'the built-in DCS simulator (try demo / demo)' : (health.dcsUrl ?? 'DCS')}.`;
  } catch (error) {
    serverLine.textContent = messageOf(error);
  }
}

async function resume(hooks: SignInHooks): Promise<void> {
  const hadToken = session.storedToken !== undefined;
  try {
    await restoreSession();
    if (session.isSignedIn) await afterSignIn(hooks);
    else if (hadToken) showMessage('Your DCS session has ended (signed out elsewhere, or the server restarted). Sign in again.', 'info');
  } catch (error) {
    showError(error, 'Could not check your earlier sign-in');
  }
}

async function afterSignIn(hooks: SignInHooks): Promise<void> {
  try {
    await hooks.signedIn();
  } catch (error) {
    showError(error, 'Signed in, but the DCS formulas could not be recalculated');
  }
}

async function signIn({ username, password, button }: SignInFields, hooks: SignInHooks): Promise<void> {
  const name = username.value.trim();
  const secret = password.value;
  password.value = '';
  if (name === '' || secret === '') {
    showMessage('Enter your DCS user name and password.', 'error', 'Sign in');
    (name === '' ? username : password).focus();
    return;
  }
  button.disabled = true;
  button.textContent = 'Signing in…';
  try {
    await apiClient().signIn(name, secret);
    clearMessages();
    await afterSignIn(hooks);
  } catch (error) {
    showError(error);
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
  // The one status area sits next to whichever action button is showing.
  const status = byId('status');
  const home = user ? byId('actions') : byId('sign-in-form');
  if (status.parentElement !== home) home.append(status);
  if (user) {
    byId('who').textContent = user.username;
    byId('role').textContent = user.public ? '(public access)' : `(${user.role})`;
    byId('persona-initials').textContent = user.public ? 'P' : user.username.slice(0, 2);
  }
}
