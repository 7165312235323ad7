/** An answer other than 200: DCS always sends a JSON object with a human-readable `details`. */
export class DcsRefusal extends Error {
  constructor(
    readonly status: number,
    readonly details: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(details);
    this.name = 'DcsRefusal';
  }

  body(): string {
    return JSON.stringify({ details: this.details, ...this.extra });
  }
}
