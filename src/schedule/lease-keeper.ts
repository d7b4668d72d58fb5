/**
 * Holds a named lease for as long as this replica is alive, and runs something only while it
 * holds it (the Discord gateway). Standby replicas try to take the lease every third of its
 * length, so a holder that dies is replaced within about one lease length. A holder that
 * cannot renew (the database is unreachable, the process stalled) gives the work up before
 * its lease can end — so two replicas never hold it at once.
 */
import { oneLine } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { LeaseRepo } from '../store/port.ts';

export interface LeaseKeeperOptions {
  readonly leases: LeaseRepo;
  readonly name: string;
  readonly owner: string;
  readonly leaseMs: number;
  readonly logger: Logger;
  /** Runs when the lease is taken; a failure gives the lease back (tried again later). */
  readonly onAcquired: () => Promise<void>;
  /** Runs when the lease is lost or given up. */
  readonly onReleased: () => Promise<void>;
}

export class LeaseKeeper {
  private holding = false;
  private timer: NodeJS.Timeout | undefined;
  /** Gives the work up before the lease could have ended without a renewal. */
  private fence: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  get held(): boolean {
    return this.holding;
  }

  /**
   * Tries once at once (so a single replica is fully up when this resolves; the first
   * `onAcquired` failure is thrown, e.g. a refused token), then keeps trying in the background.
   */
  async start(): Promise<void> {
    await this.step(true);
    this.timer = setInterval(() => void this.tick(), Math.max(20, Math.floor(this.options.leaseMs / 3)));
    this.timer.unref();
  }

  /** Stops trying, gives the work and the lease up. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.busy;
    if (this.holding) await this.giveUp('stopping');
    await this.options.leases.release(this.options.name, this.options.owner).catch(() => undefined);
  }

  private tick(): Promise<void> {
    this.busy ??= this.step(false)
      .catch(() => undefined)
      .finally(() => (this.busy = undefined));
    return this.busy;
  }

  private async step(first: boolean): Promise<void> {
    if (this.stopped) return;
    const { leases, name, owner, leaseMs, logger } = this.options;
    const now = Date.now();
    const until = new Date(now + leaseMs).toISOString();
    try {
      if (this.holding) {
        if (await leases.renew(name, owner, until)) this.armFence(now);
        else await this.giveUp('lease lost to another replica');
        return;
      }
      if (!(await leases.acquire(name, owner, until, new Date(now).toISOString()))) return;
    } catch (error) {
      logger.warn({ lease: name, err: oneLine(error) }, 'cannot reach the database for a lease');
      return;
    }
    this.holding = true;
    this.armFence(now);
    logger.info({ lease: name, owner }, 'lease taken');
    try {
      await this.options.onAcquired();
    } catch (error) {
      this.holding = false;
      clearTimeout(this.fence);
      await leases.release(name, owner).catch(() => undefined);
      if (first) throw error;
      logger.error({ lease: name, err: oneLine(error) }, 'could not start the work of a lease; giving it back');
    }
  }

  /** After a renewal at `renewedAt`: give up at two thirds of the lease unless renewed again. */
  private armFence(renewedAt: number): void {
    clearTimeout(this.fence);
    const margin = Math.floor(this.options.leaseMs / 3);
    this.fence = setTimeout(
      () => void this.giveUp('lease not renewed in time'),
      Math.max(0, renewedAt + this.options.leaseMs - margin - Date.now()),
    );
    this.fence.unref();
  }

  private async giveUp(reason: string): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    clearTimeout(this.fence);
    if (reason === 'stopping') this.options.logger.info({ lease: this.options.name }, 'lease released');
    else this.options.logger.warn({ lease: this.options.name, reason }, 'lease given up');
    try {
      await this.options.onReleased();
    } catch (error) {
      this.options.logger.error({ lease: this.options.name, err: oneLine(error) }, 'stopping the work of a lease failed');
    }
  }
}
