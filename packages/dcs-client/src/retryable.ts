/**
 * Marks failures that a GET may safely try again: the connection failed or dropped, or the answer
 * was cut short. Kept apart from the error classes so that callers see plain DcsNetworkError /
 * DcsProtocolError, while the client can still tell a cut answer from a malformed one.
 */
const retryable = new WeakSet<object>();

export function markRetryable<E extends object>(error: E): E {
  retryable.add(error);
  return error;
}

export function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && retryable.has(error);
}
