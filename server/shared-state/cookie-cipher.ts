/**
 * Encrypts a session's DCS cookies before they leave the process (AES-256-GCM, a fresh random
 * IV per encryption). The session key is bound in as associated data, so a sealed value copied
 * to another session's record does not open. The key comes from configuration, never from a
 * password; without it nothing can be read back, so rotating it signs everyone out.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

export class CookieCipher {
  private constructor(private readonly key: Buffer) {}

  /**
   * A cipher from a 32-byte key written as 64 hex digits or base64 (`openssl rand -base64 32`).
   * Throws a message naming `variable` and how to make a key.
   */
  static fromText(text: string, variable = 'SESSION_ENCRYPTION_KEY'): CookieCipher {
    const trimmed = text.trim();
    let key: Buffer | undefined;
    if (/^[0-9a-f]{64}$/i.test(trimmed)) key = Buffer.from(trimmed, 'hex');
    else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) key = Buffer.from(trimmed, 'base64');
    if (key?.length !== KEY_BYTES) {
      throw new Error(`${variable}: not a 32-byte key; make one with 'openssl rand -base64 32' and give every instance the same value`);
    }
    return new CookieCipher(key);
  }

  seal(plaintext: string, sessionKey: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(sessionKey));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** The plaintext, or undefined when the value was not sealed with this key for this session (or was altered). */
  open(sealed: string, sessionKey: string): string | undefined {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || body === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(sessionKey));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
