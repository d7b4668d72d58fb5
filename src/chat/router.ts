/**
 * The platform-neutral command and follow-up router: what `/brief …` and a reply in a brief's
 * thread mean, whatever the chat platform. Adapters parse their payloads into the port's
 * CommandRequest/ThreadMessage and render the CommandReply/Answer this returns.
 */
import type { Answer, BriefService } from '../core/service.ts';
import { isWindow } from '../core/window.ts';
import { BuildBudgetError, oneLine, UnknownTopicError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Topic } from '../core/types.ts';
import type { ChatRepo } from '../store/chat-port.ts';
import type { StoredBrief } from '../core/types.ts';
import type { ChatHandlers, CommandReply, CommandRequest, PostedBrief, ThreadMessage } from './port.ts';

export interface RouterOptions {
  readonly service: BriefService;
  readonly chat: ChatRepo;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** A stored brief younger than this is reused by `/brief <topic>` (default 30 minutes). */
  readonly freshForMs?: number;
}

/** Windows `/brief <topic> [window]` accepts, as the help text lists them. */
export const COMMAND_WINDOWS = ['24h', '7d'] as const;

/** What the router does when its options say nothing. */
export const ROUTER_DEFAULTS = {
  now: () => new Date(),
  freshForMs: 30 * 60_000,
} as const satisfies Required<Pick<RouterOptions, 'now' | 'freshForMs'>>;

function text(value: string, ephemeral: boolean): CommandReply {
  return { kind: 'text', text: value, ephemeral };
}

/** "china-ai (China and AI), eu-energy (…)" — the topic list every help and error shows. */
export function topicList(topics: readonly Topic[]): string {
  if (topics.length === 0) return 'No topics are configured yet.';
  return topics.map((t) => (t.title !== t.id ? `${t.id} (${t.title})` : t.id)).join(', ');
}

export function helpText(topics: readonly Topic[]): string {
  return [
    'Usage: /brief <topic> [24h|7d] — post a brief here',
    '/brief follow <topic> — this channel gets the topic’s scheduled brief',
    '/brief unfollow <topic> — stop it',
    `Topics: ${topicList(topics)}`,
  ].join('\n');
}

/** The stored brief with a note saying why a fresher one is not shown. */
function markedStale(stale: StoredBrief, error: BuildBudgetError): StoredBrief {
  const note = `This brief was built ${stale.createdAt.slice(0, 16).replace('T', ' ')} UTC: a newer one took longer than ${Math.round(error.budgetMs / 1000)} s to build and was stopped.`;
  return { ...stale, brief: { ...stale.brief, notes: [...(stale.brief.notes ?? []), note] } };
}

/** Removes platform mention tokens so "@briefbot what about chips?" asks "what about chips?". */
function cleanQuestion(value: string): string {
  return value
    .replace(/<@[A-Z0-9]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Builds the handlers the serving core gives every adapter. */
export function createRouter(options: RouterOptions): Required<ChatHandlers> {
  const { service, chat, logger, now, freshForMs } = { ...ROUTER_DEFAULTS, ...options };

  function findTopic(id: string | undefined): Topic | undefined {
    if (id === undefined) return undefined;
    try {
      return service.topic(id.toLowerCase());
    } catch (error) {
      if (error instanceof UnknownTopicError) return undefined;
      throw error;
    }
  }

  function unknownTopic(id: string | undefined): CommandReply {
    const what = id === undefined ? 'Which topic?' : `Unknown topic "${id}".`;
    return text(`${what} Topics: ${topicList(service.topics())}`, true);
  }

  async function onCommand(request: CommandRequest): Promise<CommandReply> {
    const [first, second, ...rest] = request.args;
    const verb = first?.toLowerCase();
    if (verb === undefined || verb === 'help') return text(helpText(service.topics()), true);
    if (verb === 'follow' || verb === 'unfollow') {
      const topic = findTopic(second);
      if (!topic) return unknownTopic(second);
      if (verb === 'follow') {
        const added = await chat.follow(request.channel, topic.id, now().toISOString());
        logger.info({ channel: request.channel, topic: topic.id, added }, 'channel follows topic');
        const when = topic.schedule ? ` (${topic.schedule.cron}, ${topic.schedule.timezone})` : ' (the topic has no schedule yet)';
        return text(
          added ? `This channel now gets the scheduled ${topic.id} brief${when}.` : `This channel already follows ${topic.id}${when}.`,
          false,
        );
      }
      const removed = await chat.unfollow(request.channel, topic.id);
      logger.info({ channel: request.channel, topic: topic.id, removed }, 'channel unfollows topic');
      return text(removed ? `This channel no longer gets the ${topic.id} brief.` : `This channel did not follow ${topic.id}.`, false);
    }
    const topic = findTopic(first);
    if (!topic) return unknownTopic(first);
    if (rest.length > 0 || (second !== undefined && !isWindow(second))) {
      return text(`Usage: /brief ${topic.id} [${COMMAND_WINDOWS.join('|')}]`, true);
    }
    try {
      const brief = await service.brief(topic.id, { ...(second !== undefined && { window: second }), maxAgeMs: freshForMs });
      return { kind: 'brief', brief };
    } catch (error) {
      // A build stopped at its time budget: the last brief of this topic and window, marked stale.
      if (error instanceof BuildBudgetError && error.stale) return { kind: 'brief', brief: markedStale(error.stale, error) };
      logger.error({ topic: topic.id, channel: request.channel, err: oneLine(error) }, 'brief for command failed');
      return text(`Could not build the ${topic.id} brief: ${oneLine(error)}`, true);
    }
  }

  async function onThreadMessage(message: ThreadMessage): Promise<Answer | undefined> {
    const briefId = await chat.briefForThread(message.thread.channel, message.thread.threadId);
    if (briefId === undefined) {
      logger.debug({ channel: message.thread.channel, threadId: message.thread.threadId }, 'not a brief thread; message ignored');
      return undefined;
    }
    // Only after we know the thread is ours, so unrelated chatter does not fill the table.
    if (!(await chat.markEventProcessed(message.eventId, now().toISOString()))) {
      logger.debug({ eventId: message.eventId }, 'duplicate event dropped');
      return undefined;
    }
    const question = cleanQuestion(message.text);
    if (question === '') return undefined;
    const answer = await service.answer(briefId, question);
    logger.info({ channel: message.thread.channel, brief: briefId, answered: answer.answered }, 'follow-up answered');
    return answer;
  }

  async function onBriefPosted(brief: StoredBrief, posted: PostedBrief): Promise<void> {
    await chat.savePostedBrief(posted.thread.channel, posted.thread.threadId, brief.id, now().toISOString());
  }

  return { onCommand, onThreadMessage, onBriefPosted };
}
