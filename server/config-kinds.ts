/**
 * The kinds of value a setting can hold, each with the two halves of reading one: `parse` turns a
 * variable's text into a value (syntax only), `check` decides whether a value is usable and
 * returns it normalised. The environment goes through both; `startServer(overrides)` through
 * `check` alone, so both paths obey the same rules and fail with the same words.
 */
import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';

/** A value that cannot be used; `config.ts` prefixes the variable's name. */
export class InvalidSetting extends Error {}

export interface SettingKind {
  parse(text: string): unknown;
  check(value: unknown): unknown;
}

function quote(value: unknown): string {
  return `'${Array.isArray(value) ? value.join(',') : String(value)}'`;
}

function refuse(value: unknown, expects: string): never {
  throw new InvalidSetting(`${quote(value)} is not ${expects}`);
}

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): SettingKind {
  const expects = `a whole number from ${min} to ${max}`;
  return {
    parse: (text) => (/^\d+$/.test(text) ? Number(text) : refuse(text, expects)),
    check: (value) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : refuse(value, expects)),
  };
}

/** A number above 0 (fractions allowed), in `unit`. */
export function positiveNumber(unit: string): SettingKind {
  const expects = `a positive number of ${unit}`;
  return {
    parse: (text) => (/^\d*\.?\d+$/.test(text) ? Number(text) : refuse(text, expects)),
    check: (value) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : refuse(value, expects)),
  };
}

/** A number from `min` to `max` (fractions allowed), in `unit`. */
export function numberBetween(min: number, max: number, unit: string): SettingKind {
  const expects = `a number of ${unit} from ${min} to ${max}`;
  return {
    parse: (text) => (/^\d*\.?\d+$/.test(text) ? Number(text) : refuse(text, expects)),
    check: (value) => (typeof value === 'number' && value >= min && value <= max ? value : refuse(value, expects)),
  };
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds above 0: the text may name a unit (`900`, `90s`, `15m`, `8h`, `1d`); a value is seconds. */
export function duration(): SettingKind {
  const expects = 'a duration; use seconds (3600) or a number with s, m, h or d (60m, 8h)';
  return {
    parse: (text) => {
      const match = /^(\d*\.?\d+)\s*([smhd]?)$/i.exec(text);
      return match ? Number(match[1]) * DURATION_UNITS[(match[2] || 's').toLowerCase()] : refuse(text, expects);
    },
    check: (value) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : refuse(value, expects)),
  };
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

export function yesNo(): SettingKind {
  const expects = 'a yes/no value; use 1 or 0 (also true/false, yes/no, on/off)';
  return {
    parse: (text) => (TRUE_WORDS.includes(text.toLowerCase()) ? true : FALSE_WORDS.includes(text.toLowerCase()) ? false : refuse(text, expects)),
    check: (value) => (typeof value === 'boolean' ? value : refuse(value, expects)),
  };
}

/** One of `words`; the text is read in any case. */
export function oneOf(words: readonly string[], what: string): SettingKind {
  const expects = `${what}; use one of ${words.join(', ')}`;
  return {
    parse: (text) => text.toLowerCase(),
    check: (value) => (typeof value === 'string' && words.includes(value) ? value : refuse(value, expects)),
  };
}

/** Any text, such as a host name. */
export function text(): SettingKind {
  return {
    parse: (value) => value,
    check: (value) => (typeof value === 'string' && value !== '' ? value : refuse(value, 'a text value')),
  };
}

/** A path, made absolute; `mustBe` checks that it exists as a file or a directory. */
export function filePath(mustBe?: 'file' | 'directory', absolute = true): SettingKind {
  return {
    parse: (value) => value,
    check: (value) => {
      if (typeof value !== 'string' || value === '') refuse(value, 'a path');
      const resolved = absolute ? path.resolve(value) : value;
      if (mustBe === 'file' && !fs.existsSync(resolved)) throw new InvalidSetting(`file '${value}' does not exist; give the path of a PEM file`);
      if (mustBe === 'directory' && !isDirectory(resolved)) {
        throw new InvalidSetting(`'${value}' is not a directory; give an existing directory this server may write temporary files to`);
      }
      return resolved;
    },
  };
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Comma-separated items, each checked (and normalised) by `item`. */
export function listOf(item: (value: string) => string): SettingKind {
  return {
    parse: (value) =>
      value
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    check: (value) => {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) refuse(value, 'a list of texts');
      return value.map(item);
    },
  };
}

/** A value read by `read`, which checks and normalises it (URLs). */
export function checkedText(read: (value: string) => string): SettingKind {
  return {
    parse: (value) => value,
    check: (value) => (typeof value === 'string' ? read(value) : refuse(value, 'a text value')),
  };
}

/** The DCS Web API root: http(s), without credentials. */
export function parseDcsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidSetting(`'${value}' is not a URL; give the DCS Web API root, e.g. https://dcs.example.com/DCSWebApi`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidSetting(`'${value}' must start with http:// or https://`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidSetting('must not contain a user name or password; users sign in through the add-in or the API');
  }
  return url.href;
}

export function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidSetting(`'${value}' is not an origin; give comma-separated origins such as https://example.com:8443`);
  }
  if (url.origin === 'null' || url.origin !== value.replace(/\/$/, '')) {
    throw new InvalidSetting(`'${value}' is not an origin (scheme://host[:port], no path); e.g. ${url.origin}`);
  }
  return url.origin;
}

/** An absolute http(s) URL without credentials, query or fragment; returned without a trailing slash. */
export function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidSetting(`'${value}' is not a URL; give the address callers use, e.g. https://dcs-excel.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidSetting(`'${value}' must start with https:// (or http://)`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new InvalidSetting(`'${value}' must be scheme://host[:port][/path] only, without user, ?query or #fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** One TRUST_PROXY entry: an IP address, a CIDR range, or one of Express's names for address ranges. */
export function parseTrustedProxy(entry: string): string {
  if (PROXY_NAMES.includes(entry)) return entry;
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
  if (family === 0 || !bitsOk || extra !== undefined) {
    throw new InvalidSetting(
      `'${entry}' is not an address of a proxy; give comma-separated IP addresses or ranges (10.0.0.5, 10.0.0.0/8) or loopback, linklocal, uniquelocal`,
    );
  }
  return entry;
}

/** A postgres:// URL; its password is never repeated in a message. */
export function parseDatabaseUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    throw new InvalidSetting('is not a PostgreSQL URL; give postgres://user:password@host:5432/database');
  }
  return value;
}

/** `all`, or comma-separated source ids normalised (`r0733` → `R733`). */
export function sourceListOrAll(readId: (value: string) => string | undefined): SettingKind {
  const expects = 'source ids such as R733,VM9 (registers and virtual meters, comma-separated), or all';
  return {
    parse: (text) =>
      text.trim().toLowerCase() === 'all'
        ? 'all'
        : text
            .split(',')
            .map((p) => p.trim())
            .filter((p) => p !== ''),
    check: (value) => {
      if (value === 'all') return value;
      if (!Array.isArray(value) || value.length === 0) refuse(value, expects);
      return value.map((id) => (typeof id === 'string' ? readId(id) : undefined) ?? refuse(id, expects));
    },
  };
}
