/**
 * One pull at a time per runtime. With the shared runtime, the pane's Get readings, its Refresh
 * all and the ribbon's Refresh all run in one JavaScript context and would otherwise interleave
 * their writes.
 */
let running: string | undefined;

export class BusyError extends Error {
  constructor(activity: string) {
    super(`The add-in is busy (${activity}). Wait for it to finish, or cancel it in the DCS pane, then try again.`);
    this.name = 'BusyError';
  }
}

/** Runs `work` unless another pull is running, in which case it throws BusyError at once. */
export async function exclusively<T>(activity: string, work: () => Promise<T>): Promise<T> {
  if (running !== undefined) throw new BusyError(running);
  running = activity;
  try {
    return await work();
  } finally {
    running = undefined;
  }
}
