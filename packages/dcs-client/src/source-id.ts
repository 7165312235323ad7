/**
 * The one grammar of a readings source id, read the same way by the DCS client, our HTTP routes,
 * the OData feed and the simulator: `R<register id>` or `VM<virtual meter id>`, in any case, with
 * leading zeros and surrounding spaces allowed, the number within DCS's 32-bit ids. The add-in
 * cannot import the server, so it keeps a copy (addin/query/source-id.ts) that a test holds equal.
 */

/** The largest id DCS can hold (an unsigned 32-bit integer). */
export const MAX_SOURCE_ID = 4_294_967_295;

const SOURCE_ID = /^(r|vm)(\d+)$/i;

export interface SourceId {
  /** Normalised: `R733` or `VM9`. */
  id: string;
  isVirtualMeter: boolean;
  /** The register or virtual meter id. */
  number: number;
}

/** `r0733` → `{ id: 'R733', isVirtualMeter: false, number: 733 }`; undefined when `text` is not a source id. */
export function parseSourceId(text: string): SourceId | undefined {
  const match = SOURCE_ID.exec(text.trim());
  if (!match) return undefined;
  const number = Number(match[2]);
  if (number > MAX_SOURCE_ID) return undefined;
  const isVirtualMeter = match[1].length === 2;
  return { id: `${isVirtualMeter ? 'VM' : 'R'}${number}`, isVirtualMeter, number };
}
