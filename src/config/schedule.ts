/**
 * Checking a topic's schedule when the config is loaded, so that every command (not only
 * `serve`, and not only once it is running) refuses a schedule that can never fire. node-cron's
 * validate() also refuses days no month has ("0 9 31 2 *").
 */
import { validate } from 'node-cron';
import { ConfigError } from '../core/errors.ts';
import type { ScheduleSpec } from '../core/types.ts';

/** True when the time zone is one Intl knows (IANA names such as Asia/Shanghai, or UTC). */
export function isTimeZone(timezone: string): boolean {
  if (timezone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Throws ConfigError naming `${key}.cron` or `${key}.timezone` when the schedule cannot run. */
export function checkSchedule(schedule: ScheduleSpec, key = 'schedule'): void {
  if (!validate(schedule.cron)) throw new ConfigError(`${key}.cron: "${schedule.cron}" is not a valid cron expression`, `${key}.cron`);
  if (!isTimeZone(schedule.timezone)) {
    throw new ConfigError(`${key}.timezone: "${schedule.timezone}" is not an IANA time zone (e.g. Europe/Paris, UTC)`, `${key}.timezone`);
  }
}
