/**
 * Briefs and answers as Slack Block Kit messages. A brief is a header, a section per story
 * (headline, summary, claims, figures, disagreements with positions side by side), sources as
 * numbered links and a footer naming failing sources. Slack caps a message at 50 blocks and a
 * text at 3,000 characters: long content is split across blocks, and blocks beyond a
 * message's share continue in further messages that the adapter posts in the brief's thread.
 */
import type { Answer } from '../../core/service.ts';
import type { Brief, Story } from '../../core/types.ts';
import {
  citeSuffix,
  emptyBriefLine,
  failingSourcesLine,
  formatWindow,
  leftOutLine,
  sourceLabel,
  viewOf,
  type BriefView,
} from '../../render/view.ts';
import { clip } from '../../text/clip.ts';
import { packInOrder } from '../pack.ts';
import { escapeMrkdwn, mrkdwnLink, splitText } from './escape.ts';

/** The Block Kit subset we send (plain JSON). */
export type SlackText = { type: 'mrkdwn'; text: string } | { type: 'plain_text'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

export interface SlackMessage {
  /** Plain fallback for notifications and clients without blocks (mrkdwn-escaped). */
  readonly text: string;
  readonly blocks: SlackBlock[];
}

export interface BlockLimits {
  /** Blocks per message (Slack: 50). */
  readonly maxBlocks: number;
  /** Characters per text object (Slack: 3,000). */
  readonly maxText: number;
  /** Characters per section field (Slack: 2,000) and fields per section (10). */
  readonly maxField: number;
  readonly maxFields: number;
  /** Characters of block text per message, well under Slack's message size limit. */
  readonly maxMessageChars: number;
}

export const SLACK_LIMITS: BlockLimits = { maxBlocks: 50, maxText: 3000, maxField: 2000, maxFields: 10, maxMessageChars: 12_000 };

function sections(text: string, limits: BlockLimits): SlackBlock[] {
  return splitText(text, limits.maxText).map((piece) => ({ type: 'section', text: { type: 'mrkdwn', text: piece } }));
}

function storyBlocks(view: BriefView, story: Story, limits: BlockLimits): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  blocks.push(
    ...sections(`*${escapeMrkdwn(story.headline)}*\n${escapeMrkdwn(story.summary)}${citeSuffix(view, story.articleIds)}`, limits),
  );
  if (story.claims.length > 0) {
    const lines = story.claims.map((c) => `• ${escapeMrkdwn(c.text)}${citeSuffix(view, c.articleIds)}`);
    blocks.push(...sections(`*Key claims*\n${lines.join('\n')}`, limits));
  }
  if (story.figures.length > 0) {
    const lines = story.figures.map((f) => `• *${escapeMrkdwn(f.value)}* — ${escapeMrkdwn(f.text)}${citeSuffix(view, f.articleIds)}`);
    blocks.push(...sections(`*Figures*\n${lines.join('\n')}`, limits));
  }
  for (const d of story.disagreements) {
    // Positions side by side: section fields render in two columns.
    const fields = d.positions.map((p) => ({
      type: 'mrkdwn' as const,
      text: clip(`${escapeMrkdwn(p.text)}${citeSuffix(view, p.articleIds)}`, limits.maxField),
    }));
    const head = `*Disagreement:* ${escapeMrkdwn(d.about)}`;
    for (let i = 0; i < Math.max(1, fields.length); i += limits.maxFields) {
      const part = fields.slice(i, i + limits.maxFields);
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: clip(i === 0 ? head : `${head} (continued)`, limits.maxText) },
        ...(part.length > 0 && { fields: part }),
      });
    }
  }
  return blocks;
}

/** Groups blocks into messages within the per-message limits. */
function pack(blocks: SlackBlock[], limits: BlockLimits): SlackBlock[][] {
  return packInOrder(blocks, (b) => JSON.stringify(b).length, limits.maxBlocks, limits.maxMessageChars);
}

/**
 * The same blocks as two or more smaller messages, for when Slack still answers `msg_too_long`
 * (its byte limit counts more than our character estimate). Undefined when a message of one
 * block cannot be split further. The first piece keeps the message's fallback text.
 */
export function splitMessage(message: SlackMessage): SlackMessage[] | undefined {
  if (message.blocks.length < 2) return undefined;
  const half = Math.ceil(message.blocks.length / 2);
  const pieces = [message.blocks.slice(0, half), message.blocks.slice(half)];
  return pieces.map((blocks, i) => ({ text: i === 0 ? message.text : `${message.text} (continued)`, blocks }));
}

/** Plain fallback text: topic and headlines, escaped, within one text's limit. */
function fallback(brief: Brief, limits: BlockLimits): string {
  if (brief.stories.length === 0) return escapeMrkdwn(emptyBriefLine(brief));
  const heads = brief.stories.map((s, i) => `${i + 1}. ${s.headline}`).join('\n');
  return clip(
    escapeMrkdwn(`Brief: ${brief.topic} — ${brief.stories.length} stor${brief.stories.length === 1 ? 'y' : 'ies'}\n${heads}`),
    limits.maxText,
  );
}

/**
 * Renders a brief as one or more messages: the first goes to the channel, the rest continue
 * in its thread. Nothing is dropped; every message carries a fallback text.
 */
export function briefMessages(brief: Brief, options: { limits?: BlockLimits } = {}): SlackMessage[] {
  const limits = options.limits ?? SLACK_LIMITS;
  const view = viewOf(brief);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`Brief: ${brief.topic}`, 150), emoji: false } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: escapeMrkdwn(`${formatWindow(brief, ' → ')} · ${brief.articles.length} articles · ${brief.summarizer}`),
        },
      ],
    },
  ];
  if (brief.stories.length === 0) blocks.push(...sections(escapeMrkdwn(emptyBriefLine(brief)), limits));
  brief.stories.forEach((story, i) => {
    blocks.push({ type: 'divider' });
    blocks.push(
      ...storyBlocks(view, story, limits).map((b, j) =>
        j === 0 && b.type === 'section' && b.text ? { ...b, text: { ...b.text, text: `${i + 1}. ${b.text.text}` } } : b,
      ),
    );
  });
  const more = leftOutLine(brief);
  if (more !== undefined) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(more) }] });
  if (view.sources.length > 0) {
    blocks.push({ type: 'divider' });
    const lines = view.sources.map(
      ({ n, article }) => `${mrkdwnLink(article.url, `[${n}] ${article.title}`)} — ${escapeMrkdwn(sourceLabel(article))}`,
    );
    blocks.push(...sections(`*Sources*\n${lines.join('\n')}`, limits));
  }
  const footer = [failingSourcesLine(brief), ...(brief.notes ?? [])].filter((l): l is string => l !== undefined);
  if (footer.length > 0) {
    for (const piece of splitText(escapeMrkdwn(footer.join('\n')), limits.maxText)) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: piece }] });
    }
  }
  const text = fallback(brief, limits);
  return pack(blocks, limits).map((group, i) => ({
    text: i === 0 ? text : `${escapeMrkdwn(`Brief: ${brief.topic}`)} (continued, part ${i + 1})`,
    blocks: group,
  }));
}

/** An answer in a thread: the cited text and its numbered sources. */
export function answerMessage(answer: Answer, limits: BlockLimits = SLACK_LIMITS): SlackMessage {
  const blocks: SlackBlock[] = [...sections(escapeMrkdwn(answer.text), limits)];
  if (answer.sources.length > 0) {
    const lines = answer.sources.map((s, i) => mrkdwnLink(s.url, `[${i + 1}] ${s.title}`));
    blocks.push(
      ...splitText(lines.join('\n'), limits.maxText).map((t): SlackBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: t }] })),
    );
  }
  return { text: clip(escapeMrkdwn(answer.text), limits.maxText), blocks: blocks.slice(0, limits.maxBlocks) };
}
