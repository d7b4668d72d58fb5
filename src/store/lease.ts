/**
 * Runs work under a named lease (see LeaseRepo): waits while another process holds it,
 * renews it while the work runs, releases it after. Used for work that must not run twice at
 * once across replicas, such as collecting one source.
 */
import type { LeaseRepo } from './port.ts';

export interface WithLeaseOptions {
  readonly owner: string;
  /** Lease length; renewed every third of it while the work runs. */
  readonly leaseMs: number;
  /** How long to wait for another holder before giving up (then `busy` is returned). */
  readonly waitMs: number;
  /** How often to try while waiting (default 250 ms). */
  readonly pollMs?: number;
}

/** The work's result, or 'busy' when another holder kept the lease past `waitMs`. */
export async function withLease<T>(
  leases: LeaseRepo,
  name: string,
  options: WithLeaseOptions,
  work: () => Promise<T>,
): Promise<T | 'busy'> {
  const until = (): string => new Date(Date.now() + options.leaseMs).toISOString();
  const deadline = Date.now() + options.waitMs;
  while (!(await leases.acquire(name, options.owner, until(), new Date().toISOString()))) {
    if (Date.now() >= deadline) return 'busy';
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
  const renewal = setInterval(
    () => void leases.renew(name, options.owner, until()).catch(() => undefined),
    Math.max(20, Math.floor(options.leaseMs / 3)),
  );
  renewal.unref();
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await leases.release(name, options.owner).catch(() => undefined);
  }
}
