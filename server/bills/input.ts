/**
 * Reading a bill request's JSON by hand, field by field, so that every refusal names the field
 * (`tariff.units[1].rate`) and says what to write: the checks every part of a tariff shares.
 */

/** A bill request that cannot be used; `field` is its path in the request body. */
export class BillInputError extends Error {
  readonly code = 'BILL_INPUT';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'BillInputError';
  }
}

export type JsonObject = Record<string, unknown>;

/** `tariff` + `units` = `tariff.units`; at the top of the body the field is its name alone. */
export function fieldPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object with only the fields named; anything else is refused, with the list of what is allowed. */
export function objectAt(value: unknown, field: string, allowed: readonly string[]): JsonObject {
  if (!isObject(value)) throw new BillInputError(field || 'body', `must be an object with ${allowed.join(', ')}`);
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new BillInputError(fieldPath(field, unknown[0]), `is not a field of ${field || 'a bill'}; it takes ${allowed.join(', ')}`);
  }
  return value;
}

export function arrayAt(value: unknown, field: string, what: string): unknown[] {
  if (!Array.isArray(value)) throw new BillInputError(field, `must be a list of ${what}`);
  return value;
}

export function textAt(value: unknown, field: string, example: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new BillInputError(field, `must be text, e.g. ${example}`);
  return value.trim();
}

export function optionalTextAt(value: unknown, field: string, example: string): string | undefined {
  return value === undefined ? undefined : textAt(value, field, example);
}

interface NumberRule {
  min?: number;
  max?: number;
  /** The bound `min` itself is refused. */
  aboveMin?: boolean;
  example: string;
}

export function numberAt(value: unknown, field: string, rule: NumberRule): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BillInputError(field, `must be a number, e.g. ${rule.example}`);
  const { min, max } = rule;
  if (min !== undefined && (value < min || (rule.aboveMin === true && value === min))) {
    throw new BillInputError(field, `${value} is too small; it must be ${rule.aboveMin === true ? 'more than' : 'at least'} ${min}, e.g. ${rule.example}`);
  }
  if (max !== undefined && value > max) throw new BillInputError(field, `${value} is too large; it must be at most ${max}, e.g. ${rule.example}`);
  return value;
}

export function optionalNumberAt(value: unknown, field: string, rule: NumberRule): number | undefined {
  return value === undefined ? undefined : numberAt(value, field, rule);
}

/** A rate of money per unit: any sign (a credit is negative), finite. */
export function rateAt(value: unknown, field: string, example: string): number {
  return numberAt(value, field, { example });
}
