/**
 * Fast JSON number formatting for reading values. Values are held as integers scaled by
 * 10^decimals ("scaled units"), so that totals and period values stay exactly consistent and
 * formatting needs no floating-point shortest-representation search.
 */

const fractionTables = new Map<number, readonly string[]>();

/** `.5`, `.25`, `.125`…: the fraction part for every scaled remainder, trailing zeros trimmed. */
function fractionTable(decimals: number): readonly string[] {
  let table = fractionTables.get(decimals);
  if (!table) {
    const size = 10 ** decimals;
    table = Array.from({ length: size }, (_, i) => {
      if (i === 0) return '';
      return '.' + String(i).padStart(decimals, '0').replace(/0+$/, '');
    });
    fractionTables.set(decimals, table);
  }
  return table;
}

export class ScaledFormatter {
  readonly factor: number;
  private readonly fractions: readonly string[];

  constructor(readonly decimals: number) {
    this.factor = 10 ** decimals;
    this.fractions = fractionTable(decimals);
  }

  /** Rounds a plain value to this formatter's scaled units. */
  scale(value: number): number {
    return Math.round(value * this.factor);
  }

  /** The JSON text for a value in scaled units; non-finite values become DCS's strings. */
  formatScaled(scaled: number): string {
    if (scaled !== scaled) return '"NaN"';
    if (scaled === Infinity) return '"Infinity"';
    if (scaled === -Infinity) return '"-Infinity"';
    const negative = scaled < 0;
    const magnitude = negative ? -scaled : scaled;
    const whole = Math.floor(magnitude / this.factor);
    const text = whole + this.fractions[magnitude - whole * this.factor];
    return negative && magnitude !== 0 ? '-' + text : text;
  }

  /** The JSON text for a plain value, rounded to this formatter's decimals. */
  format(value: number): string {
    return this.formatScaled(this.scale(value));
  }
}
