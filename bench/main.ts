/**
 * What every bench does around its measurement: print the figures as its table, and run on its
 * own when its file is the program (`node build/bench/x-bench.js`) rather than imported by
 * bench/run.ts.
 */

/** Runs a bench, prints its table and hands back its figures (bench/run.ts calls this form). */
export async function printBench<R>(bench: () => Promise<R>, describe: (result: R) => string): Promise<R> {
  const result = await bench();
  console.log(describe(result));
  return result;
}

/** Runs `run` when `benchModule` is the program itself; a failure prints and exits 1. */
export function runWhenMain(benchModule: NodeModule, run: () => Promise<unknown>): void {
  if (require.main !== benchModule) return;
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
