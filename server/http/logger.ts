/**
 * Structured logging: one JSON object per line. Anything that could carry a secret is redacted
 * before it is written, whatever the caller passes: fields named like authorization, cookie,
 * password, token or secret, at any depth.
 */
import type { LogLevel } from '../config';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line. */
  child(fields: LogFields): Logger;
}

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEY = /authori[sz]ation|cookie|passw(or)?d|token|secret|credential/i;
export const REDACTED = '[redacted]';

export function createLogger(level: LogLevel, sink: (line: string) => void = writeStdout, base: LogFields = {}): Logger {
  const threshold = SEVERITY[level];
  const write = (lineLevel: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (SEVERITY[lineLevel] < threshold) return;
    const record = { time: new Date().toISOString(), level: lineLevel, msg: message, ...base, ...fields };
    sink(JSON.stringify(redact(record, 0)));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }),
  };
}

function writeStdout(line: string): void {
  process.stdout.write(line + '\n');
}

/** A copy with secret-looking fields replaced; errors become {name, message}. */
export function redact(value: unknown, depth: number): unknown {
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    return { name: value.name, message: value.message };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
