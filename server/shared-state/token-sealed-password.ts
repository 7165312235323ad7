/**
 * The DCS user name and password of a token session, sealed so that only a caller holding the session token can
 * read it back: the key is derived from the token (HKDF-SHA256), and the token is never stored
 * (the session is keyed by its SHA-256, from which the key cannot be derived). Redis alone, or a
 * copy of it, therefore cannot recover a password; any instance handed the token by its caller can,
 * and so can sign that user in to DCS again when DCS ends their session.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'p1';
const IV_BYTES = 12;
/** Fixed labels: a key for this purpose only, never usable as any other key derived from the token. */
const SALT = Buffer.from('dcs-excel session password salt');
const INFO = Buffer.from('dcs-excel: seal the DCS password of a session');

function keyFor(token: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(token, 'utf8'), SALT, INFO, 32));
}

/** DCS credentials, as sealed and opened. */
export interface Credentials {
  username: string;
  password: string;
}

/** The credentials sealed under a key derived from `token` (AES-256-GCM, a fresh IV each time). */
export function sealCredentials(credentials: Credentials, token: string): string {
  const plaintext = JSON.stringify({ u: credentials.username, p: credentials.password });
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(token), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** The credentials, or undefined when `sealed` was not sealed for this token (or was altered). */
export function openCredentials(sealed: string, token: string): Credentials | undefined {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || body === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(token), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    const { u, p } = JSON.parse(text) as { u: unknown; p: unknown };
    return typeof u === 'string' && typeof p === 'string' ? { username: u, password: p } : undefined;
  } catch {
    return undefined;
  }
}
