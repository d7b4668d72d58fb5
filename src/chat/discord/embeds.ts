/**
 * A brief (or a follow-up answer) as Discord messages of embeds: a header embed, then one
 * embed per story with its claims, figures, disagreements and numbered sources. Messages
 * are packed to stay within Discord's limits; whatever does not fit in the first message
 * continues in further messages (posted in the brief's thread), so a long brief is never
 * refused and never cut silently. Article text is escaped; links are shown in full.
 */
import type { APIEmbed } from 'discord.js';
import type { Answer } from '../../core/service.ts';
import type { Brief, BriefArticle, Story } from '../../core/types.ts';
import { citeSuffix, failingSourcesLine, formatWindow, leftOutLine, viewOf, type BriefView } from '../../render/view.ts';
import { packInOrder, packLines } from '../pack.ts';
import { clipEscaped, escapeText, showUrl } from './escape.ts';

/** Discord's documented message and embed limits (characters are UTF-16 units). */
export const DISCORD_LIMITS = {
  embedsPerMessage: 10,
  /** Sum of titles, descriptions, field names/values, footers and author names. */
  embedCharsPerMessage: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  content: 2000,
} as const;

/** One message to send: plain content (may be empty) and up to ten embeds. */
export interface DiscordMessage {
  readonly content: string;
  readonly embeds: readonly APIEmbed[];
}

const HEADER_COLOR = 0x2b6cb0;
const STORY_COLOR = 0x718096;
const ANSWER_COLOR = 0x2f855a;

/** Characters of an embed that count towards the 6,000 a message. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** "[n] Title — <url>" (the URL shown, never masked); a URL we won't show is left out. */
function sourceLine(n: number, title: string, url: string, publisher?: string): string {
  const shown = showUrl(url);
  const who = publisher !== undefined && publisher !== '' ? ` (${escapeText(publisher)})` : '';
  const line = `[${n}] ${escapeText(clipEscaped(title, 200))}${who}`;
  return shown !== undefined ? `${line} — <${shown}>` : line;
}

function storyLines(story: Story, view: BriefView, byId: ReadonlyMap<string, BriefArticle>): string[] {
  const cite = (ids: readonly string[]): string => citeSuffix(view, ids);
  const lines: string[] = [];
  if (story.summary.trim() !== '') lines.push(escapeText(story.summary));
  if (story.claims.length > 0) {
    lines.push('', '**Key claims**');
    for (const claim of story.claims) lines.push(`• ${escapeText(claim.text)}${cite(claim.articleIds)}`);
  }
  if (story.figures.length > 0) {
    lines.push('', '**Figures**');
    for (const figure of story.figures) {
      lines.push(`• **${escapeText(figure.value)}** — ${escapeText(figure.text)}${cite(figure.articleIds)}`);
    }
  }
  if (story.disagreements.length > 0) {
    lines.push('', '**Disagreements**');
    for (const d of story.disagreements) {
      lines.push(`• ${escapeText(d.about)}`);
      for (const p of d.positions) lines.push(`  – ${escapeText(p.text)}${cite(p.articleIds)}`);
    }
  }
  // The story's articles the view lists (bounded); the rest are counted, not listed.
  const articles = story.articleIds.flatMap((id) => {
    const article = view.numberOf.has(id) ? byId.get(id) : undefined;
    return article ? [article] : [];
  });
  if (articles.length > 0) {
    lines.push('', '**Sources**');
    for (const a of articles) lines.push(sourceLine(view.numberOf.get(a.id) ?? 0, a.title, a.url, a.publisher));
    const more = story.articleIds.length - articles.length;
    if (more > 0) lines.push(`… and ${more} more ${more === 1 ? 'article' : 'articles'}`);
  }
  return lines;
}

/** Lines as embed descriptions of at most `max` characters; a single giant line is clipped. */
function descriptions(lines: readonly string[], max: number = DISCORD_LIMITS.description): string[] {
  return packLines(lines, max, (line) => [clipEscaped(line, max)]);
}

/**
 * Escaped text whose citation marks stay readable: "\\[2\\]" back to "[2]", except where a
 * "(" follows, since "[2](…)" would be a masked link.
 */
function escapeCited(text: string): string {
  return escapeText(text).replace(/\\\[(\d{1,3})\\\](?!\()/g, '[$1]');
}

function headerEmbed(brief: Brief, topicTitle: string | undefined): APIEmbed {
  const storyCount = brief.stories.length;
  const lines = [
    `${storyCount} ${storyCount === 1 ? 'story' : 'stories'} from ${brief.articles.length} ${brief.articles.length === 1 ? 'article' : 'articles'}`,
    `Window: ${escapeText(formatWindow(brief, ' → '))}`,
  ];
  if (storyCount === 0) lines.push('', 'Nothing new in this window.');
  const more = leftOutLine(brief);
  if (more !== undefined) lines.push(escapeText(more));
  for (const note of brief.notes ?? []) lines.push(`_${escapeText(note)}_`);
  const failing = failingSourcesLine(brief);
  if (failing !== undefined) lines.push('', `⚠️ ${escapeText(failing)}`);
  return {
    title: clipEscaped(`Brief: ${escapeText(topicTitle ?? brief.topic)}`, DISCORD_LIMITS.title),
    description: descriptions(lines)[0] ?? '',
    color: HEADER_COLOR,
    footer: { text: clipEscaped(`${brief.summarizer} · generated ${brief.generatedAt}`, DISCORD_LIMITS.footer) },
  };
}

function storyEmbeds(story: Story, index: number, view: BriefView, byId: ReadonlyMap<string, BriefArticle>): APIEmbed[] {
  const headline = escapeText(story.headline);
  const parts = descriptions(storyLines(story, view, byId));
  if (parts.length === 0) parts.push('(no details)');
  return parts.map((description, part) => ({
    title: clipEscaped(`${index + 1}. ${headline}${part > 0 ? ' (continued)' : ''}`, DISCORD_LIMITS.title),
    description,
    color: STORY_COLOR,
  }));
}

/**
 * Packs embeds into messages of at most 10 embeds and `budget` characters each, in order.
 * `budget` stays a little under 6,000 so that a platform counting differently still accepts.
 */
export function packEmbeds(embeds: readonly APIEmbed[], budget = DISCORD_LIMITS.embedCharsPerMessage - 100): APIEmbed[][] {
  return packInOrder(embeds, embedLength, DISCORD_LIMITS.embedsPerMessage, budget);
}

/**
 * A brief as Discord messages: the first goes to the channel (or the command's reply), the
 * rest continue in the brief's thread. Every message is within Discord's limits.
 */
export function briefMessages(brief: Brief, options: { readonly topicTitle?: string } = {}): DiscordMessage[] {
  const view = viewOf(brief);
  const byId = new Map(brief.articles.map((a) => [a.id, a]));
  const embeds = [headerEmbed(brief, options.topicTitle), ...brief.stories.flatMap((s, i) => storyEmbeds(s, i, view, byId))];
  const packed = packEmbeds(embeds);
  return packed.map((group, i) => ({
    content: i === 0 ? '' : `(continued, part ${i + 1} of ${packed.length})`,
    embeds: group,
  }));
}

/** A follow-up answer as one message: the cited text, then its numbered sources. */
export function answerMessage(answer: Answer): DiscordMessage {
  const lines = [escapeCited(answer.text)];
  if (answer.sources.length > 0) {
    lines.push('', '**Sources**');
    answer.sources.forEach((s, i) => lines.push(sourceLine(i + 1, s.title, s.url)));
  }
  const description = descriptions(lines)[0] ?? '';
  return {
    content: '',
    embeds: [{ title: answer.answered ? 'Answer' : 'Not in the sources', description, color: ANSWER_COLOR }],
  };
}
