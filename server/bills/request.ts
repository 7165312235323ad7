/**
 * A bill request as `POST /api/bills` takes it: which registers make up the supply, the billing
 * period (local days, the last one included), the tariff and, optionally, the invoice's own lines.
 */
import { parseSourceId } from 'dcs-client';
import { addDays, checkTimeZone, endOfLocalDay, startOfLocalDay, TimeParseError } from '../time/zones';
import { arrayAt, BillInputError, fieldPath, isObject, numberAt, objectAt, optionalNumberAt, optionalTextAt, textAt } from './input';
import { parseTariff, type Tariff } from './tariff';

export interface BillPeriod {
  firstDay: string;
  lastDay: string;
  timeZone: string;
  /** [startMs, endMs): local midnight of firstDay to local midnight after lastDay. */
  startMs: number;
  endMs: number;
  /** Calendar days, firstDay to lastDay inclusive (what a standing charge is billed on). */
  days: number;
}

export interface InvoiceLine {
  name: string;
  quantity?: number;
  /** The rate the supplier printed, when given: checked against the tariff's. */
  rate?: number;
  amount: number;
}

export interface Invoice {
  reference?: string;
  lines: InvoiceLine[];
  /** A line is OK when its quantity is within this many units (invoices round units) ... */
  quantityTolerance: number;
  /** ... and its amount within this much money, beyond what the quantity's tolerance carries. */
  amountTolerance: number;
}

export interface BillRequest {
  supply: { import: string; reactive?: string };
  period: BillPeriod;
  tariff: Tariff;
  invoice?: Invoice;
}

/** The longest billing period: a year and a bit (an annual bill with its reading days). */
export const MAX_BILL_DAYS = 400;
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseBillRequest(value: unknown, field: string, defaultTimeZone: string): BillRequest {
  const b = objectAt(value, field, ['supply', 'period', 'tariff', 'invoice']);
  const at = (name: string): string => fieldPath(field, name);
  const supply = parseSupply(b.supply, at('supply'));
  const tariff = parseTariff(b.tariff, at('tariff'));
  needsReactive(tariff, supply, at('supply.reactive'));
  return {
    supply,
    period: parsePeriod(b.period, at('period'), defaultTimeZone),
    tariff,
    invoice: b.invoice === undefined ? undefined : parseInvoice(b.invoice, at('invoice')),
  };
}

function parseSupply(value: unknown, field: string): BillRequest['supply'] {
  const s = objectAt(value, field, ['import', 'reactive']);
  const read = (v: unknown, name: string): string => {
    const text = textAt(v, `${field}.${name}`, '"R1001"');
    const id = parseSourceId(text);
    if (!id)
      throw new BillInputError(`${field}.${name}`, `'${text}' is not a source id; use R<register id> or VM<virtual meter id> (GET /api/sources lists them)`);
    return id.id;
  };
  return { import: read(s.import, 'import'), reactive: s.reactive === undefined ? undefined : read(s.reactive, 'reactive') };
}

/** kVA, and reactive energy itself, need the supply's reactive register. */
function needsReactive(tariff: Tariff, supply: BillRequest['supply'], field: string): void {
  if (supply.reactive !== undefined) return;
  const why = tariff.reactive
    ? 'the tariff charges reactive energy'
    : tariff.maxDemand?.measure === 'kVA'
      ? 'the maximum demand charge is on kVA'
      : tariff.capacity?.excessRatePerKvaPerDay !== undefined
        ? 'the excess capacity charge is on measured kVA'
        : undefined;
  if (why !== undefined)
    throw new BillInputError(field, `missing: ${why}, which needs the supply's reactive energy register (kVArh), e.g. "reactive": "R1147"`);
}

function parsePeriod(value: unknown, field: string, defaultTimeZone: string): BillPeriod {
  const p = objectAt(value, field, ['firstDay', 'lastDay', 'end', 'timeZone']);
  const zoneText = optionalTextAt(p.timeZone, `${field}.timeZone`, '"Europe/London"');
  const timeZone = readZone(zoneText ?? defaultTimeZone, `${field}.timeZone`);
  const firstDay = readDate(p.firstDay, `${field}.firstDay`);
  if (p.lastDay !== undefined && p.end !== undefined) {
    throw new BillInputError(`${field}.end`, 'give lastDay (the last day billed, included) or end (the first day not billed), not both');
  }
  if (p.lastDay === undefined && p.end === undefined) throw new BillInputError(`${field}.lastDay`, 'missing; give the last day billed, e.g. "2024-10-31"');
  const lastDay = p.lastDay !== undefined ? readDate(p.lastDay, `${field}.lastDay`) : addDays(readDate(p.end, `${field}.end`), -1);
  const days = Math.round((Date.parse(lastDay) - Date.parse(firstDay)) / 86_400_000) + 1;
  const lastField = p.lastDay !== undefined ? `${field}.lastDay` : `${field}.end`;
  if (days < 1) throw new BillInputError(lastField, `is before firstDay ${firstDay}; a billing period holds at least one day`);
  if (days > MAX_BILL_DAYS) throw new BillInputError(lastField, `the period holds ${days} days; a bill covers at most ${MAX_BILL_DAYS}: check the years`);
  const startMs = startOfLocalDay(firstDay, timeZone).getTime();
  const endMs = endOfLocalDay(lastDay, timeZone).getTime();
  return { firstDay, lastDay, timeZone, startMs, endMs, days };
}

function readZone(text: string, field: string): string {
  try {
    return checkTimeZone(text);
  } catch (error) {
    if (error instanceof TimeParseError) throw new BillInputError(field, error.message);
    throw error;
  }
}

function readDate(value: unknown, field: string): string {
  const text = textAt(value, field, '"2024-10-01"');
  if (!PLAIN_DATE.test(text) || !new Date(`${text}T00:00:00Z`).toISOString().startsWith(text)) {
    throw new BillInputError(field, `'${text}' is not a date; write YYYY-MM-DD, e.g. 2024-10-01`);
  }
  return text;
}

function parseInvoice(value: unknown, field: string): Invoice {
  const i = objectAt(value, field, ['reference', 'lines', 'quantityTolerance', 'amountTolerance']);
  const lines = arrayAt(i.lines, `${field}.lines`, 'invoice lines, e.g. [{"name": "Day", "quantity": 12345, "amount": 2754.17}]').map((entry, n) => {
    const at = `${field}.lines[${n}]`;
    const line = objectAt(entry, at, ['name', 'quantity', 'unit', 'rate', 'amount']);
    if (line.unit !== undefined) textAt(line.unit, `${at}.unit`, '"kWh"');
    return {
      name: textAt(line.name, `${at}.name`, '"Day"'),
      quantity: optionalNumberAt(line.quantity, `${at}.quantity`, { example: '12345' }),
      rate: optionalNumberAt(line.rate, `${at}.rate`, { example: '0.2231' }),
      amount: numberAt(line.amount, `${at}.amount`, { example: '2754.17' }),
    };
  });
  return {
    reference: i.reference === undefined ? undefined : textAt(i.reference, `${field}.reference`, '"INV-2024-10"'),
    lines,
    quantityTolerance: optionalNumberAt(i.quantityTolerance, `${field}.quantityTolerance`, { min: 0, example: '0.5' }) ?? 0.5,
    amountTolerance: optionalNumberAt(i.amountTolerance, `${field}.amountTolerance`, { min: 0, example: '0.01' }) ?? 0.01,
  };
}

/** The largest number of bills one request may ask for (100 supplies × 12 months, with room). */
export const MAX_BILLS = 2000;

/** One bill (`{supply, period, tariff, invoice?}`) or many (`{bills: [...]}`). */
export function parseBillsBody(body: unknown, defaultTimeZone: string): { many: boolean; requests: BillRequest[] } {
  if (isObject(body) && 'bills' in body) {
    const outer = objectAt(body, 'body', ['bills']);
    const list = arrayAt(outer.bills, 'bills', 'bill requests');
    if (list.length === 0 || list.length > MAX_BILLS) throw new BillInputError('bills', `give between 1 and ${MAX_BILLS} bills; this had ${list.length}`);
    return { many: true, requests: list.map((entry, i) => parseBillRequest(entry, `bills[${i}]`, defaultTimeZone)) };
  }
  if (!isObject(body)) throw new BillInputError('body', 'must be a JSON object {"supply", "period", "tariff", "invoice"?} (Content-Type: application/json)');
  return { many: false, requests: [parseBillRequest(body, '', defaultTimeZone)] };
}
