/**
 * Scheduled briefs: one node-cron task per scheduled topic (cron + time zone from config).
 * Each run delivers the topic's brief once to every channel that follows it (config
 * `channels` plus `/brief follow`), through the outbox. Runs never overlap: one in-memory
 * guard per topic, and a (topic, scheduled time) row, written with the run's deliveries in
 * one transaction, that makes a run happen once per slot — across restarts, and whichever of
 * several replicas' crons fires first. The replica that wins the slot builds the brief under
 * a lease on the run; the deliveries wait for it while the lease is renewed, and any replica's
 * outbox builds the brief itself once the lease ends (its builder died). A run missed while
 * the bot was down is caught up once at start when it falls within the catch-up window.
 */
import { createTask, parse, type ScheduledTask, type TaskContext } from 'node-cron';
import { checkSchedule } from '../config/schedule.ts';
import type { BriefService } from '../core/service.ts';
import { oneLine } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { ScheduleSpec, Topic } from '../core/types.ts';
import type { ChatRepo } from '../store/chat-port.ts';
import { OUTBOX_DEFAULTS, type Outbox } from './outbox.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** nextRun looks this far ahead at most (a yearly schedule still fits). */
const HORIZON_MS = 367 * 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timezone, format);
  }
  return format;
}

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

interface LocalTime {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

function localTime(date: Date, timezone: string): LocalTime {
  const t: LocalTime = { month: 0, day: 0, weekday: 0, hour: 0, minute: 0 };
  for (const part of formatterFor(timezone).formatToParts(date)) {
    if (part.type === 'weekday') t.weekday = WEEKDAY[part.value] ?? 0;
    else if (part.type === 'month' || part.type === 'day' || part.type === 'hour' || part.type === 'minute')
      t[part.type] = Number(part.value);
  }
  return t;
}

/** A matcher over node-cron's parsed fields, at minute resolution, in the schedule's zone. */
function matcherFor(schedule: ScheduleSpec): { hourPossible(date: Date): boolean; matches(date: Date): boolean; second: number } {
  const fields = parse(schedule.cron);
  const set = (values: readonly (number | string)[]): Set<number> => new Set(values.map(Number).filter((n) => !Number.isNaN(n)));
  const minutes = set(fields.minute);
  const hours = set(fields.hour);
  const days = set(fields.dayOfMonth);
  const months = set(fields.month);
  const weekdays = new Set([...set(fields.dayOfWeek)].map((d) => d % 7));
  // Classic cron: when both day fields are restricted, either may match.
  const anyDay = days.size >= 31;
  const anyWeekday = weekdays.size >= 7;
  const dayMatches = (t: LocalTime): boolean =>
    anyDay && anyWeekday
      ? true
      : anyDay
        ? weekdays.has(t.weekday)
        : anyWeekday
          ? days.has(t.day)
          : days.has(t.day) || weekdays.has(t.weekday);
  return {
    second: Number(fields.second[0] ?? 0),
    hourPossible(date) {
      const t = localTime(date, schedule.timezone);
      return months.has(t.month) && hours.has(t.hour) && dayMatches(t);
    },
    matches(date) {
      const t = localTime(date, schedule.timezone);
      return months.has(t.month) && hours.has(t.hour) && minutes.has(t.minute) && dayMatches(t);
    },
  };
}

/**
 * Scans minute by minute over [from, to) in the given direction, skipping whole UTC hours
 * whose local day and hour cannot match (so a daily schedule costs ~60 checks a day).
 */
function scan(schedule: ScheduleSpec, from: number, to: number, step: 1 | -1): Date | undefined {
  const matcher = matcherFor(schedule);
  let minute = Math.floor(from / MINUTE) * MINUTE;
  while (step === 1 ? minute < to : minute >= to) {
    const hourStart = Math.floor(minute / HOUR) * HOUR;
    // A zone with a :30 or :45 offset splits a UTC hour across two local hours: check both ends.
    if (![hourStart, hourStart + HOUR - MINUTE].some((t) => matcher.hourPossible(new Date(t)))) {
      minute = step === 1 ? hourStart + HOUR : hourStart - MINUTE;
      continue;
    }
    if (matcher.matches(new Date(minute))) return new Date(minute + matcher.second * 1000);
    minute += step * MINUTE;
  }
  return undefined;
}

/** The first time strictly after `after` the schedule fires, or undefined within a year. */
export function nextRun(schedule: ScheduleSpec, after: Date): Date | undefined {
  const start = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  const found = scan(schedule, start - MINUTE, start + HORIZON_MS, 1);
  if (found && found.getTime() > after.getTime()) return found;
  return scan(schedule, start, start + HORIZON_MS, 1);
}

/** The latest time at or before `atOrBefore`, and not before `notBefore`, the schedule fired. */
export function previousRun(schedule: ScheduleSpec, atOrBefore: Date, notBefore: Date): Date | undefined {
  const found = scan(schedule, atOrBefore.getTime(), notBefore.getTime(), -1);
  return found && found.getTime() <= atOrBefore.getTime()
    ? found
    : found && scan(schedule, found.getTime() - MINUTE, notBefore.getTime(), -1);
}

export interface SchedulerOptions {
  readonly service: BriefService;
  readonly chat: ChatRepo;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** A run missed while down is caught up at start if it was due at most this long ago (default 6 h). */
  readonly catchUpWindowMs?: number;
  /** How long the run's lease lasts without renewal while its brief is built (default 15 s). */
  readonly leaseMs?: number;
}

/** What the scheduler does when its options say nothing. */
export const SCHEDULER_DEFAULTS = {
  now: () => new Date(),
  catchUpWindowMs: 6 * HOUR,
  leaseMs: OUTBOX_DEFAULTS.leaseMs,
} as const satisfies Required<Pick<SchedulerOptions, 'now' | 'catchUpWindowMs' | 'leaseMs'>>;

export type RunOutcome = 'delivered' | 'no-channels' | 'already-ran' | 'overlap' | 'failed';

export class Scheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Map<string, Promise<RunOutcome>>();
  private readonly now: () => Date;
  private readonly options: SchedulerOptions & Required<Pick<SchedulerOptions, 'now' | 'catchUpWindowMs' | 'leaseMs'>>;

  constructor(options: SchedulerOptions) {
    this.options = { ...SCHEDULER_DEFAULTS, ...options };
    this.now = this.options.now;
  }

  /** Topics with a schedule. */
  scheduledTopics(): Topic[] {
    return this.options.service.topics().filter((t) => t.schedule !== undefined);
  }

  /** Validates every schedule, catches up missed runs, then starts the cron tasks. */
  async start(): Promise<void> {
    const topics = this.scheduledTopics();
    topics.forEach((t) => checkSchedule(t.schedule!, `topic ${t.id}: schedule`));
    await this.catchUp();
    for (const topic of topics) {
      const schedule = topic.schedule!;
      const task = createTask(schedule.cron, this.jobFor(topic.id), {
        timezone: schedule.timezone,
        name: `brief:${topic.id}`,
        noOverlap: true,
      });
      this.tasks.set(topic.id, task);
      await task.start();
      this.options.logger.info(
        { topic: topic.id, cron: schedule.cron, timezone: schedule.timezone, next: nextRun(schedule, this.now())?.toISOString() },
        'schedule started',
      );
    }
  }

  /**
   * The function node-cron calls for a topic: runs the brief for the minute it fired. Tests
   * call it (or the task's `execute()`) to trigger a scheduled run.
   */
  jobFor(topicId: string): (context: Pick<TaskContext, 'date'>) => Promise<RunOutcome> {
    return (context) => this.run(topicId, new Date(Math.floor(context.date.getTime() / MINUTE) * MINUTE));
  }

  /** The node-cron task of a topic (after start). */
  task(topicId: string): ScheduledTask | undefined {
    return this.tasks.get(topicId);
  }

  /** Runs the scheduled brief of `topicId` for the run at `scheduledFor`, once. */
  async run(topicId: string, scheduledFor: Date): Promise<RunOutcome> {
    const current = this.running.get(topicId);
    if (current) {
      this.options.logger.warn(
        { topic: topicId, scheduledFor: scheduledFor.toISOString() },
        'previous run still going; this run is skipped',
      );
      return 'overlap';
    }
    const run = this.runOnce(topicId, scheduledFor).finally(() => this.running.delete(topicId));
    this.running.set(topicId, run);
    return run;
  }

  private async runOnce(topicId: string, scheduledFor: Date): Promise<RunOutcome> {
    const { chat, service, outbox, logger } = this.options;
    const runId = scheduledFor.toISOString();
    const at = (): string => this.now().toISOString();
    const leaseMs = this.options.leaseMs;
    const lease = () => ({ owner: outbox.owner, until: new Date(this.now().getTime() + leaseMs).toISOString() });
    const topic = service.topic(topicId);
    const channels = [...new Set([...topic.channels, ...(await chat.followers(topicId))])];
    // The run and its deliveries in one transaction: a crash can't leave a run with nothing to deliver.
    if (!(await chat.beginRun({ topicId, scheduledFor: runId, channels, lease: lease() }, at()))) {
      logger.info({ topic: topicId, run: runId }, 'run already happened; nothing to do');
      return 'already-ran';
    }
    const renewal = setInterval(
      () => {
        chat
          .renewRun(topicId, runId, lease())
          .catch((error: unknown) => logger.warn({ topic: topicId, err: oneLine(error) }, 'cannot renew the run lease'));
      },
      Math.max(20, Math.floor(leaseMs / 3)),
    );
    renewal.unref();
    try {
      if (channels.length === 0) {
        await chat.finishRun(topicId, runId, at());
        logger.info({ topic: topicId, run: runId }, 'no channel follows this topic');
        return 'no-channels';
      }
      const brief = await service.brief(topicId);
      await chat.attachBrief(topicId, runId, brief.id, at());
      clearInterval(renewal);
      const report = await outbox.flush();
      await chat.finishRun(topicId, runId, at());
      logger.info({ topic: topicId, run: runId, channels: channels.length, ...report }, 'scheduled run finished');
      return 'delivered';
    } catch (error) {
      logger.error({ topic: topicId, run: runId, err: oneLine(error) }, 'scheduled run failed; queued deliveries are retried');
      await chat.finishRun(topicId, runId, at(), oneLine(error));
      return 'failed';
    } finally {
      clearInterval(renewal);
    }
  }

  /** Runs, once, the latest scheduled time of each topic missed within the catch-up window. */
  async catchUp(): Promise<void> {
    const now = this.now();
    const window = this.options.catchUpWindowMs;
    for (const topic of this.scheduledTopics()) {
      const missed = previousRun(topic.schedule!, now, new Date(now.getTime() - window));
      if (!missed) continue;
      const last = await this.options.chat.lastRun(topic.id);
      if (last && Date.parse(last.scheduledFor) >= missed.getTime()) continue;
      this.options.logger.info({ topic: topic.id, missed: missed.toISOString() }, 'catching up a missed scheduled run');
      // The same slot id as the cron job's (its minute): a replica catching up while another's
      // cron fired for that slot must find the run already begun.
      await this.run(topic.id, new Date(Math.floor(missed.getTime() / MINUTE) * MINUTE));
    }
  }

  /** Stops the cron tasks and waits for runs in progress. */
  async stop(): Promise<void> {
    for (const task of this.tasks.values()) await task.destroy();
    this.tasks.clear();
    await Promise.allSettled([...this.running.values()]);
  }
}
