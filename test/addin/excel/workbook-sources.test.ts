/**
 * The pane's picked sources, kept with the workbook (issue 19): ids only, in the order picked,
 * and read back defensively (the settings may have been edited by anything).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readWorkbookSources, WORKBOOK_SOURCES_SETTING, writeWorkbookSources } from '../../../addin/excel/workbook-sources';
import { mockExcel } from '../support/workbook';

describe("the workbook's picked sources", () => {
  it('are none until picked, then kept in the workbook settings in the order picked', async () => {
    const { context, view } = mockExcel();
    assert.deepEqual(await readWorkbookSources(context), []);
    await writeWorkbookSources(context, ['VM3', 'R1001']);
    assert.deepEqual(await readWorkbookSources(context), ['VM3', 'R1001']);
    assert.deepEqual(view.settings()[WORKBOOK_SOURCES_SETTING], ['VM3', 'R1001'], 'saved with the workbook');
    await writeWorkbookSources(context, []);
    assert.deepEqual(await readWorkbookSources(context), [], 'clearing the picks is kept too');
  });

  it('read back only what reads as source ids, normalised and once each', async () => {
    const { context } = mockExcel();
    context.workbook.settings.add(WORKBOOK_SOURCES_SETTING, ['r1001', 'R1001', 'vm3', 'Group:Plant-Room', 42, 'DROP TABLE', null]);
    await context.sync();
    assert.deepEqual(await readWorkbookSources(context), ['R1001', 'VM3', 'group:plant-room']);
    context.workbook.settings.add(WORKBOOK_SOURCES_SETTING, 'R1001');
    await context.sync();
    assert.deepEqual(await readWorkbookSources(context), [], 'not a list: nothing');
  });
});
