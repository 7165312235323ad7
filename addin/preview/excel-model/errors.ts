/** An error shaped like Office.js's OfficeExtension.Error (code + message). */
export class MemoryExcelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RichApi.Error';
  }
}

/** Throws a MemoryExcelError; typed `never` so it can stand where a value is expected (`x ?? fail(...)`). */
export function fail(code: string, message: string): never {
  throw new MemoryExcelError(code, message);
}
