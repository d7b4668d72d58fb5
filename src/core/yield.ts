/**
 * Cooperative yielding for long CPU loops on the serving thread: after a slice of work the
 * loop awaits one turn of the event loop, so timers and sockets (a Slack ack, a health check)
 * are served in between. In a CLI run this costs one setImmediate per slice.
 */

/** Work between two yields, in ms. */
const DEFAULT_SLICE_MS = 10;

export class LoopYielder {
  private last = performance.now();

  constructor(private readonly sliceMs = DEFAULT_SLICE_MS) {}

  /** Resolves at once, or after one event-loop turn when the slice is used up. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
