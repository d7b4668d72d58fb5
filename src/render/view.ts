/**
 * A platform-neutral view of a brief: sources numbered in order of first citation, so every
 * renderer (terminal, Markdown, Slack, Discord) shows the same [n] for the same article, and
 * the lines every renderer words alike (window, empty brief, failing sources).
 */
import { maskUrl, maskUrlsIn } from '../core/redact.ts';
import type { Brief, BriefArticle } from '../core/types.ts';
import { clip } from '../text/clip.ts';

export interface NumberedSource {
  readonly n: number;
  readonly article: BriefArticle;
}

export interface BriefView {
  readonly brief: Brief;
  /** Brief-local article id → its number in the sources list. */
  readonly numberOf: ReadonlyMap<string, number>;
  readonly sources: readonly NumberedSource[];
}

/** Numbers the brief's articles: cited ones first, in story order, then the rest. */
export function viewOf(brief: Brief): BriefView {
  const order: string[] = [];
  const seen = new Set<string>();
  const add = (id: string): void => {
    if (!seen.has(id)) {
      seen.add(id);
      order.push(id);
    }
  };
  for (const story of brief.stories) {
    for (const id of story.articleIds) add(id);
  }
  for (const article of brief.articles) add(article.id);
  const byId = new Map(brief.articles.map((a) => [a.id, a]));
  const sources = order.flatMap((id, i) => {
    const article = byId.get(id);
    return article ? [{ n: i + 1, article }] : [];
  });
  return { brief, numberOf: new Map(sources.map((s) => [s.article.id, s.n])), sources };
}

/** "[1][3]" for a list of brief-local ids. */
export function citeMarks(view: BriefView, articleIds: readonly string[]): string {
  const numbers = [...new Set(articleIds.map((id) => view.numberOf.get(id)).filter((n): n is number => n !== undefined))];
  return numbers
    .sort((a, b) => a - b)
    .map((n) => `[${n}]`)
    .join('');
}

/** " [1][3]" to follow a text, or "" when none of the ids is a numbered source. */
export function citeSuffix(view: BriefView, articleIds: readonly string[]): string {
  const marks = citeMarks(view, articleIds);
  return marks === '' ? '' : ` ${marks}`;
}

/** "2026-11-23 09:00 UTC" — short, unambiguous, for headers and footers. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

/**
 * The brief's window for a header line, e.g. "2026-11-22 09:00 UTC to 2026-11-23 09:00 UTC";
 * a window with no start ("all") reads "everything up to …" rather than starting in 1970.
 */
export function formatWindow(brief: Brief, separator = ' to '): string {
  const until = formatTime(brief.window.until);
  return hasNoStart(brief) ? `everything up to ${until}` : `${formatTime(brief.window.since)}${separator}${until}`;
}

/** A window that starts at the epoch (window "all"). */
function hasNoStart(brief: Brief): boolean {
  return new Date(brief.window.since).getTime() <= 0;
}

/** The publisher, else the URL's host, else "local file". */
export function sourceLabel(article: BriefArticle): string {
  if (article.publisher) return article.publisher;
  try {
    const url = new URL(article.url);
    return url.protocol === 'file:' ? 'local file' : url.host;
  } catch {
    return 'unknown source';
  }
}

/** One line telling the reader there was nothing to brief. */
export function emptyBriefLine(brief: Brief): string {
  const since = hasNoStart(brief) ? 'yet' : `since ${formatTime(brief.window.since)}`;
  return `No new articles on ${brief.topic} ${since}.`;
}

/**
 * Footer line about failing sources, or undefined when all are healthy:
 * "1 source failing: https://… since 2026-11-20 (HTTP 403)". Dates are absolute, so a posted
 * brief still reads true days later; long URLs and errors are clipped.
 */
export function failingSourcesLine(brief: Brief): string | undefined {
  const failing = brief.failingSources ?? [];
  if (failing.length === 0) return undefined;
  const parts = failing.map((s) => {
    const since = s.failingSince ? ` since ${s.failingSince.slice(0, 10)}` : '';
    return `${clip(maskUrl(s.url), 200)}${since}${s.lastError ? ` (${clip(maskUrlsIn(s.lastError), 120)})` : ''}`;
  });
  return `${failing.length} source${failing.length === 1 ? '' : 's'} failing: ${parts.join('; ')}`;
}

/**
 * "12 more articles in 5 smaller stories" when the brief found more stories than it shows, so
 * that a reader knows what was left out; undefined when nothing was.
 */
export function leftOutLine(brief: Brief): string | undefined {
  const stories = brief.leftOut ?? [];
  if (stories.length === 0) return undefined;
  const articles = stories.reduce((n, s) => n + s.articleIds.length, 0);
  const a = `${articles} more article${articles === 1 ? '' : 's'}`;
  const s = `${stories.length} smaller stor${stories.length === 1 ? 'y' : 'ies'}`;
  return `${a} in ${s}.`;
}
