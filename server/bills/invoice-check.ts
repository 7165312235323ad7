/**
 * An invoice against its shadow bill, line by line. Lines pair by name (case and spacing
 * ignored). VAT is the line named "VAT", checked on the invoice's OWN net (the sum of its other
 * lines) at the tariff's rate: a wrong rate shows there, while an error in another line shows on
 * that line and is not counted twice. Verdicts:
 * - OK: quantity within the invoice's quantity tolerance (default 0.5: invoices round units) and
 *   amount within the amount tolerance (default 1p) plus what the quantity's tolerance carries;
 * - CHECK: a real difference, on half-hours measured in full;
 * - DATA QUALITY: a difference, but half-hours behind the line were missing or estimated, so the
 *   meter's figure is not conclusive (lines that do not depend on the meter are never this);
 * - NOT ON BILL: an expected line with money on it that the invoice does not have;
 * - NOT EXPECTED: an invoice line the tariff does not produce.
 */
import type { BillCheckJson, BillJson, BillLineJson, BillVerdict } from '../api/types';
import { cleanNumber } from '../intervals/accumulator';
import { addMoney, roundToPence } from './money';
import type { Invoice, InvoiceLine } from './request';

/** Lines whose quantity is the calendar, not the meter. */
const CALENDAR_UNITS = new Set(['day', 'kVA-day']);

const keyOf = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();
const VAT = 'vat';

export function checkInvoice(bill: BillJson, invoice: Invoice): NonNullable<BillJson['check']> {
  const billedNet = addMoney(invoice.lines.filter((l) => keyOf(l.name) !== VAT).map((l) => l.amount));
  const vat: BillLineJson = { name: 'VAT', quantity: billedNet, unit: 'net', rate: bill.vatRate, amount: roundToPence(billedNet * bill.vatRate) };
  const expected: BillLineJson[] = [...bill.lines, vat];
  const billed = new Map<string, InvoiceLine>();
  const checks: BillCheckJson[] = [];
  for (const line of invoice.lines) {
    if (billed.has(keyOf(line.name))) checks.push(notExpected(line, 'the invoice has another line of this name; only the first is paired'));
    else billed.set(keyOf(line.name), line);
  }
  const paired = new Set<string>();
  const measuredInFull = bill.quality.complete;
  for (const line of expected) {
    const invoiceLine = billed.get(keyOf(line.name));
    if (invoiceLine === undefined) {
      checks.push(notOnBill(line));
      continue;
    }
    paired.add(keyOf(line.name));
    const meterBased = !CALENDAR_UNITS.has(line.unit) && line.unit !== 'net';
    checks.push(compare(line, invoiceLine, invoice, meterBased, meterBased && !measuredInFull));
  }
  for (const [key, line] of billed) if (!paired.has(key)) checks.push(notExpected(line, 'the tariff has no charge of this name'));
  return { ...(invoice.reference !== undefined && { reference: invoice.reference }), lines: checks, summary: summarise(checks, invoice, bill.total) };
}

function compare(line: BillLineJson, billed: InvoiceLine, invoice: Invoice, meterBased: boolean, inconclusive: boolean): BillCheckJson {
  const quantityDifference = billed.quantity === undefined ? null : cleanNumber(billed.quantity - line.quantity);
  const amountDifference = addMoney([billed.amount, -line.amount]);
  const quantityOk = quantityDifference === null || Math.abs(quantityDifference) <= invoice.quantityTolerance;
  const allowance = invoice.amountTolerance + Math.abs(line.rate) * invoice.quantityTolerance * (line.unit === 'net' ? 0 : 1);
  const amountOk = Math.abs(amountDifference) <= allowance + 1e-9;
  const rateOk = billed.rate === undefined || Math.abs(billed.rate - line.rate) < 1e-9;
  let verdict: BillVerdict = 'OK';
  let reason = meterBased ? 'agrees with the meter and the tariff' : 'agrees with the tariff';
  if (!quantityOk || !amountOk) {
    verdict = inconclusive ? 'DATA QUALITY' : 'CHECK';
    reason = differenceReason(line, billed, quantityOk, quantityDifference, amountDifference);
    if (inconclusive) reason += '; but half-hours behind it were missing or estimated (see quality), so check the meter data first';
  }
  if (!rateOk) {
    verdict = 'CHECK';
    reason = `billed at ${billed.rate} where the tariff's rate is ${line.rate}${amountOk ? '' : `; ${reason}`}`;
  }
  return {
    name: line.name,
    verdict,
    expected: { quantity: line.quantity, unit: line.unit, rate: line.rate, amount: line.amount },
    billed: billed.quantity === undefined ? { amount: billed.amount } : { quantity: billed.quantity, amount: billed.amount },
    quantityDifference,
    amountDifference,
    reason,
  };
}

function differenceReason(line: BillLineJson, billed: InvoiceLine, quantityOk: boolean, dq: number | null, da: number): string {
  const what = line.unit === 'net' ? 'VAT' : `${line.quantity} ${line.unit}`;
  if (!quantityOk && dq !== null)
    return `billed ${billed.quantity} ${line.unit === 'net' ? '' : line.unit} where the meter gives ${what} (${signed(dq)}); ${signed(da)} in money`;
  if (line.unit === 'net') {
    const rate = line.quantity === 0 ? 0 : billed.amount / line.quantity;
    return `VAT of ${billed.amount} is ${(rate * 100).toFixed(2)} % of the invoice's net ${line.quantity}; at the tariff's ${line.rate * 100} % it is ${line.amount} (${signed(da)})`;
  }
  return `the amount differs by ${signed(da)} from ${line.quantity} ${line.unit} × ${line.rate} = ${line.amount}`;
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

function notOnBill(line: BillLineJson): BillCheckJson {
  const nothingDue = line.amount === 0;
  return {
    name: line.name,
    verdict: nothingDue ? 'OK' : 'NOT ON BILL',
    expected: { quantity: line.quantity, unit: line.unit, rate: line.rate, amount: line.amount },
    billed: null,
    quantityDifference: null,
    amountDifference: nothingDue ? 0 : -line.amount,
    reason: nothingDue ? 'not on the invoice, and nothing is due on it' : `the tariff charges ${line.amount} here and the invoice has no such line`,
  };
}

function notExpected(line: InvoiceLine, why: string): BillCheckJson {
  return {
    name: line.name,
    verdict: 'NOT EXPECTED',
    expected: null,
    billed: line.quantity === undefined ? { amount: line.amount } : { quantity: line.quantity, amount: line.amount },
    quantityDifference: null,
    amountDifference: line.amount,
    reason: why,
  };
}

/** `difference` is the invoice's total less the shadow bill's; `atStake` the money on lines not OK. */
function summarise(checks: BillCheckJson[], invoice: Invoice, expectedTotal: number): NonNullable<BillJson['check']>['summary'] {
  const count = (verdict: BillVerdict): number => checks.filter((c) => c.verdict === verdict).length;
  const open = checks.filter((c) => c.verdict !== 'OK');
  const billedTotal = addMoney(invoice.lines.map((l) => l.amount));
  return {
    ok: count('OK'),
    check: count('CHECK'),
    dataQuality: count('DATA QUALITY'),
    notOnBill: count('NOT ON BILL'),
    notExpected: count('NOT EXPECTED'),
    billedTotal,
    difference: addMoney([billedTotal, -expectedTotal]),
    atStake: addMoney(open.map((c) => Math.abs(c.amountDifference ?? 0))),
  };
}
