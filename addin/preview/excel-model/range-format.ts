import { boxAddress } from './addresses';
import type { Batch } from './batch';
import { fail } from './errors';
import { autofit, eachCell, styleCell } from './grid';
import type { Box, ConditionalFormatData } from './model';

/** Range.format and Range.conditionalFormats: looks written on sync. */

/** A write-only property (Office.js's setters the add-in uses; reading them back is not needed). */
const setter = <T>(apply: (value: T) => void): PropertyDescriptor => ({ enumerable: true, set: apply });

export function rangeFormat(batch: Batch, box: () => Box): Record<string, unknown> {
  /** A look set on every cell of the range (whole columns and rows are not styled cell by cell here). */
  const look = (name: string) =>
    setter((value: unknown) =>
      batch.enqueue(() => {
        const b = box();
        if (b.rows * b.columns <= 1_000_000) eachCell(b, (r, c) => styleCell(b.sheet, r, c, { look: { [name]: value } }));
      }),
    );
  const font = Object.defineProperty(
    {},
    'bold',
    setter((bold: boolean) =>
      batch.enqueue(() => {
        const b = box();
        eachCell(b, (r, c) => styleCell(b.sheet, r, c, { bold }));
      }),
    ),
  );
  for (const name of ['size', 'color', 'italic']) Object.defineProperty(font, name, look(`font.${name}`));
  const format: Record<string, unknown> = {
    font,
    fill: Object.defineProperty({}, 'color', look('fill')),
    autofitColumns: () => batch.enqueue(() => autofit(box())),
  };
  Object.defineProperty(
    format,
    'columnWidth',
    setter((points: number) =>
      batch.enqueue(() => {
        const b = box();
        if (!(points >= 0 && points <= 409)) fail('InvalidArgument', `A column width must be 0 to 409 points, not ${points}.`);
        for (let c = b.column; c < b.column + b.columns; c++) b.sheet.widths.set(c, points);
      }),
    ),
  );
  return format;
}

/** Range.conditionalFormats.add(type): a custom rule, recorded on the sheet (not evaluated). */
export function conditionalFormats(batch: Batch, box: () => Box): Record<string, unknown> {
  return {
    add: (type: string) => {
      const record: ConditionalFormatData = { address: '', type };
      batch.enqueue(() => {
        const b = box();
        record.address = boxAddress(b);
        (b.sheet.conditionalFormats ??= []).push(record);
      });
      return {
        custom: {
          rule: Object.defineProperty(
            {},
            'formula',
            setter((v: string) => (record.formula = v)),
          ),
          format: {
            fill: Object.defineProperty(
              {},
              'color',
              setter((v: string) => (record.fill = v)),
            ),
            font: Object.defineProperty(
              {},
              'color',
              setter((v: string) => (record.font = v)),
            ),
          },
        },
      };
    },
  };
}
