/**
 * A platform-neutral view of a brief: the sources its shown stories cite, numbered in story
 * order, so every renderer (terminal, Markdown, Slack, Discord) shows the same [n] for the
 * same article and the list is bounded by the stories shown, not by the window; and the
 * lines every renderer words alike (window, empty brief, failing sources).
 */
import { maskUrl, maskUrlsIn } from '../core/redact.ts';
import type { Brief, BriefArticle, Story } from '../core/types.ts';
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

/** Citation marks shown after one item; the rest are counted ("+12 more"). */
export const MAX_MARKS = 6;
/** Sources listed for one story beyond those its items cite. */
export const MAX_STORY_SOURCES = 10;

/** Every claim, figure and position of a story: the items that cite articles. */
function items(story: Story): { readonly articleIds: readonly string[] }[] {
  return [...story.claims, ...story.figures, ...story.disagreements.flatMap((d) => d.positions)];
}

/**
 * Numbers the articles the shown stories cite, in story order: what each item cites (its
 * first MAX_MARKS articles), and the story's own articles up to MAX_STORY_SOURCES. Articles
 * no shown story cites are left out of the list (the JSON still has them all), so the list
 * stays bounded however many articles the window holds.
 */
export function viewOf(brief: Brief): BriefView {
  const listed = new Set<string>();
  for (const story of brief.stories) {
    const wanted = new Set(items(story).flatMap((i) => i.articleIds.slice(0, MAX_MARKS)));
    for (const id of story.articleIds) {
      if (wanted.size >= MAX_STORY_SOURCES) break;
      wanted.add(id);
    }
    // Story order first, then anything an item cites outside the story's own list.
    for (const id of [...story.articleIds, ...wanted]) if (wanted.has(id)) listed.add(id);
  }
  const byId = new Map(brief.articles.map((a) => [a.id, a]));
  const sources: NumberedSource[] = [];
  for (const id of listed) {
    const article = byId.get(id);
    if (article) sources.push({ n: sources.length + 1, article });
  }
  return { brief, numberOf: new Map(sources.map((s) => [s.article.id, s.n])), sources };
}

/** "[1][3]" for a list of brief-local ids: at most MAX_MARKS marks, then "+N more" for the rest. */
export function citeMarks(view: BriefView, articleIds: readonly string[]): string {
  const ids = [...new Set(articleIds)];
  const numbers = [...new Set(ids.map((id) => view.numberOf.get(id)).filter((n): n is number => n !== undefined))].sort((a, b) => a - b);
  const shown = numbers.slice(0, MAX_MARKS);
  const more = ids.length - shown.length;
  return `${shown.map((n) => `[${n}]`).join('')}${more > 0 ? `${shown.length > 0 ? ' ' : ''}+${more} more` : ''}`;
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
