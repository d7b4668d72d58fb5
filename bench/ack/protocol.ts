/**
 * Messages between an ack bench's bot (bench/ack/bot-process.mjs: serving core, adapter, build
 * pool, store) and its load generator, a process that holds the fake platform (Slack Web
 * API, or Discord's gateway and REST) and the clients that send commands; bench/ack/bot.ts
 * relays them. The bot has a process of its own, so its figures are the bot's alone.
 */

/** What the generator measured (ms). */
export interface LoadReport {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Commands never acknowledged (or not with 200), or acknowledged but never answered. */
  readonly lost: number;
  readonly wallMs: number;
  /** Big briefs requested and posted during the burst (a build kept running throughout). */
  readonly bigBuildsPosted: number;
  readonly repliesDrainMs: number;
}

export type FromGenerator =
  /** The fake platform is up; connect the bot to it. */
  | {
      readonly type: 'platform';
      readonly apiUrl: string;
      readonly signingSecret?: string;
      readonly token?: string;
      readonly guildId?: string;
      readonly applicationId?: string;
    }
  /** Warm-up done and the first big build requested: tell me when it is running. */
  | { readonly type: 'big-requested' }
  | { readonly type: 'burst-start' }
  | { readonly type: 'burst-end' }
  | { readonly type: 'report'; readonly report: LoadReport };

export type ToGenerator =
  /**
   * The bot serves; Slack events go to `eventsUrl` (Discord needs nothing: it connected).
   * `run` numbers the runs over one store: each run asks for windows no earlier run built.
   * `idle`: the baseline run, no big build is asked for (the same burst with nothing built).
   */
  | { readonly type: 'serving'; readonly run: number; readonly eventsUrl?: string; readonly idle?: boolean }
  /** A big build is running in a worker: start the burst. */
  | { readonly type: 'building' };

export const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 500);
export const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 50);
export const BIG_CHANNEL = 'C0BIG';
export const SIGNING_SECRET = 'bench-signing-secret';
export const BIG_TOPIC = 'big';
/**
 * Distinct windows that all cover the whole big corpus (dated 2026): each is a new content
 * key, so a new build rather than the stored brief of an earlier request or run.
 */
export function bigWindow(run: number, n: number): string {
  return new Date(Date.UTC(2020, 0, 1 + run * 200 + n)).toISOString().slice(0, 10);
}
