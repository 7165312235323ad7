/**
 * Money to the penny. A line's amount is its quantity × rate rounded half away from zero to two
 * decimals (as Excel's ROUND does), read from the product's decimal digits, not its binary
 * approximation: 1.005 rounds to 1.01, as it would on paper.
 */

/** Twelve significant digits: what is left of binary noise in sums of decimal readings. */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

export function roundToPence(value: number): number {
  const text = Math.abs(clean(value)).toFixed(10);
  const [whole, fraction] = text.split('.');
  let pence = Number(whole) * 100 + Number(fraction.slice(0, 2));
  if (Number(fraction[2]) >= 5) pence += 1;
  const rounded = pence / 100;
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/** A sum of amounts already in pence, without binary noise. */
export function addMoney(amounts: readonly number[]): number {
  return Math.round(amounts.reduce((sum, amount) => sum + Math.round(amount * 100), 0)) / 100;
}
