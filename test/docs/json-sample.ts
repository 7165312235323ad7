/**
 * A guide's ```json block shows what the server answers. It is checked against the real answer as
 * a sample of it: every key it shows is there with the value it shows (numbers, strings and flags
 * equal), an array's elements appear in the answer's array in that order (others may come
 * between), `...` on its own stands for elements or keys left out, and a string with `...` in it
 * (an abbreviated token) stands for any string.
 */

/** The sample as a value: `...` elisions removed. Throws, saying so, when it is not JSON then. */
export function parseSample(text: string): unknown {
  const withoutElisions = text
    .replace(/,\s*\.\.\.(?=\s*[\]}])/g, '')
    .replace(/([[{])\s*\.\.\.\s*,?/g, '$1')
    .replace(/([[{])\s*\.\.\.(?=\s*[\]}])/g, '$1');
  try {
    return JSON.parse(withoutElisions) as unknown;
  } catch (error) {
    throw new Error(`the sample is not JSON once its '...' elisions are removed (${(error as Error).message}):\n${withoutElisions}`, { cause: error });
  }
}

/** The JSON values printed one after another in `output` (several curls in one example print several). */
export function jsonValues(output: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < output.length; i++) {
    const c = output[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if ((c === '}' || c === ']') && depth > 0 && --depth === 0) {
      try {
        values.push(JSON.parse(output.slice(start, i + 1)));
      } catch {
        // not JSON after all (a shell listing): skip it
      }
    }
  }
  return values;
}

/** Where `actual` differs from `sample`; empty when the sample is a faithful excerpt of it. */
export function differences(sample: unknown, actual: unknown, at = '$'): string[] {
  if (typeof sample === 'string' && sample.includes('...')) return typeof actual === 'string' ? [] : [`${at}: a string, got ${JSON.stringify(actual)}`];
  if (Array.isArray(sample)) {
    if (!Array.isArray(actual)) return [`${at}: an array, got ${JSON.stringify(actual)}`];
    let next = 0;
    for (const [i, element] of sample.entries()) {
      while (next < actual.length && differences(element, actual[next]).length > 0) next++;
      if (next === actual.length) return [`${at}[${i}]: ${JSON.stringify(element)} is not in the answer (in this order)`];
      next++;
    }
    return [];
  }
  if (sample !== null && typeof sample === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: an object, got ${JSON.stringify(actual)}`];
    return Object.entries(sample).flatMap(([key, value]) =>
      key in actual ? differences(value, (actual as Record<string, unknown>)[key], `${at}.${key}`) : [`${at}.${key}: missing from the answer`],
    );
  }
  return sample === actual ? [] : [`${at}: ${JSON.stringify(sample)} in the guide, ${JSON.stringify(actual)} in the answer`];
}
