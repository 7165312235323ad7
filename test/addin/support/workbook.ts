import { OfficeMockObject } from 'office-addin-mock';
import { createMemoryExcel, type WorkbookView } from '../../../addin/preview/memory-excel';

/**
 * An Excel.RequestContext for unit tests: office-addin-mock's OfficeMockObject at the root
 * (context, workbook, collections), holding the add-in's in-memory workbook model for the
 * objects below (office-addin-mock does not model collections, ranges or batching).
 */
export function mockExcel(options: { date1904?: boolean } = {}): { context: Excel.RequestContext; view: WorkbookView } {
  const memory = createMemoryExcel(options);
  const context = new OfficeMockObject(memory.context) as unknown as Excel.RequestContext;
  return { context, view: memory.view };
}
