/**
 * Time anchors: when an article says its event happened. Without publication dates, the
 * weekdays and months a report names stand in for them: reports of one event say when it
 * happened ("on Thursday", "in April"), and the look-alike stories that text alone merges (the
 * April, May and July CDC mask guidance; one weekly jobless-claims report after another) name
 * other days. On the AllSides candidate pairs with cosine ≥ 0.18, 4% of the pairs that both
 * name weekdays but none in common are one story, against 54% of those sharing one (29% of all).
 */

/** Weekdays and months named, each as its first three letters, lowercase. */
export interface TimeAnchors {
  readonly weekdays: ReadonlySet<string>;
  readonly months: ReadonlySet<string>;
}

// Case-sensitive on purpose: "march" and "sunday" are also words. "May" counts only before a
// day number ("May 12"), since it is mostly the verb.
const WEEKDAY = /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/gu;
const MONTH =
  /\b(?:(January|February|March|April|June|July|August|September|October|November|December)\b|(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|(May)(?=\s+\d))/gu;

/** Multiplier on the similarity of two articles that both name weekdays, none in common. */
const WEEKDAY_CONFLICT = 0.5;
/** Multiplier on the similarity of two articles that both name months, none in common. */
const MONTH_CONFLICT = 0.5;
/** Multiplier on the similarity of two articles that name a common weekday. */
const WEEKDAY_AGREEMENT = 1.25;

/** The weekdays and months a text (title and body) names. */
export function timeAnchors(text: string): TimeAnchors {
  const weekdays = new Set<string>();
  const months = new Set<string>();
  for (const m of text.matchAll(WEEKDAY)) weekdays.add(m[1]!.slice(0, 3).toLowerCase());
  for (const m of text.matchAll(MONTH)) months.add((m[1] ?? m[2] ?? m[3])!.slice(0, 3).toLowerCase());
  return { weekdays, months };
}

/**
 * Similarity multiplier from the anchors of two articles: down when both name days (or
 * months) and none match, up when they name the same weekday, 1 when either names none.
 */
export function anchorFactor(a: TimeAnchors, b: TimeAnchors): number {
  let factor = 1;
  const days = overlap(a.weekdays, b.weekdays);
  if (days === 'shared') factor *= WEEKDAY_AGREEMENT;
  else if (days === 'disjoint') factor *= WEEKDAY_CONFLICT;
  if (overlap(a.months, b.months) === 'disjoint') factor *= MONTH_CONFLICT;
  return factor;
}

/** Whether two sets share a member, are both non-empty with none shared, or one is empty. */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): 'shared' | 'disjoint' | 'unknown' {
  if (a.size === 0 || b.size === 0) return 'unknown';
  for (const x of a) if (b.has(x)) return 'shared';
  return 'disjoint';
}
