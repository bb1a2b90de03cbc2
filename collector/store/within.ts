/** A store answer bounded in time: health checks must answer sooner than a load balancer gives up. */

/** How long `ping` waits for the database by default. */
export const PING_TIMEOUT_MS = 1_000;

/**
 * `work`'s result, or `fallback` once `ms` have passed (or when it rejects). `work` itself is
 * not stopped: the caller bounds it separately (a pool's query timeout).
 *
 * @example await within(pool.query('select 1').then(() => true), 1_000, false)
 */
export async function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([work.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}
