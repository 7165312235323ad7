/**
 * The pane's "Check invoices" card: invoice lines pasted into the box or read from a CSV file go
 * to a new Bill check sheet (runtime/bill-check.ts). A bad row stops the import with every bad
 * row and column named, and nothing is written; the box keeps the text so it can be put right.
 */
import { checkInvoiceLines } from '../runtime/bill-check';
import type { ExcelRunner } from '../runtime/pulls';
import { byId } from './dom';
import { showError, showMessage } from './messages';

export class InvoicePanel {
  readonly #text = byId<HTMLTextAreaElement>('invoice-lines');
  readonly #button = byId<HTMLButtonElement>('check-invoices');

  /** `calculated`: preview mode's calculation of the new sheet's formulas (Excel calculates its own). */
  constructor(
    private readonly run: ExcelRunner,
    private readonly calculated?: () => Promise<void>,
  ) {
    this.#button.addEventListener('click', () => void this.#check());
    const file = byId<HTMLInputElement>('invoice-file');
    file.addEventListener('change', () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      chosen
        .text()
        .then((text) => {
          this.#text.value = text;
          return this.#check();
        })
        .catch((error: unknown) => showError(error, `Could not read ${chosen.name}`))
        .finally(() => (file.value = ''));
    });
  }

  async #check(): Promise<void> {
    if (this.#text.value.trim() === '') {
      showMessage('Paste invoice lines (with their header row) into the box, or choose a CSV file.', 'warning');
      return;
    }
    this.#button.disabled = true;
    try {
      const result = await checkInvoiceLines(this.run, this.#text.value);
      await this.calculated?.();
      const tariffs = result.wroteTariffs ? ' The example Tariffs sheet was added: put your own tariffs there.' : '';
      showMessage(`Checked ${result.lines} lines of ${result.invoices} invoices on the sheet ${result.sheet}.${tariffs}`, 'success', 'Done');
    } catch (error) {
      showError(error, 'Nothing was written');
    } finally {
      this.#button.disabled = false;
    }
  }
}
