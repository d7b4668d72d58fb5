/**
 * The chat port: what the serving core asks of a chat platform, and what a platform hands
 * back. Slack and Discord each implement it inside chat/<platform>/; the core (router,
 * scheduler, outbox) never imports a chat SDK.
 */
import type { Answer } from '../core/service.ts';
import type { StoredBrief } from '../core/types.ts';

/** Opaque channel address: "slack:C0123ABCD" or "discord:123456789012345678". */
export type ChannelRef = string;

/** Opaque thread address within a channel (Slack message ts, Discord thread id). */
export interface ThreadRef {
  readonly channel: ChannelRef;
  readonly threadId: string;
}

/** Where a brief was posted, so follow-ups in its thread find it again. */
export interface PostedBrief {
  readonly thread: ThreadRef;
  /** Platform message ids of every message the brief took (continuations included). */
  readonly messageIds: readonly string[];
}

/** A slash command (`/brief …`) as the core sees it, platform details stripped. */
export interface CommandRequest {
  readonly channel: ChannelRef;
  readonly userId: string;
  /** Words after the command name: ["china-ai", "7d"], ["follow", "china-ai"], []. */
  readonly args: readonly string[];
}

/** A message in a brief's thread (a follow-up question). */
export interface ThreadMessage {
  readonly thread: ThreadRef;
  readonly userId: string;
  readonly text: string;
  /** Platform event id, for dropping redelivered events. */
  readonly eventId: string;
}

/** What the core answers to a command; the adapter renders it for its platform. */
export type CommandReply =
  { readonly kind: 'brief'; readonly brief: StoredBrief } | { readonly kind: 'text'; readonly text: string; readonly ephemeral: boolean };

export interface ChatHandlers {
  /** Called after the adapter has acknowledged the command within the platform's limit. */
  onCommand(request: CommandRequest): Promise<CommandReply>;
  onThreadMessage(message: ThreadMessage): Promise<Answer | undefined>;
  /**
   * Called by the adapter after it posted a command's brief, so replies in that thread are
   * answered from it. Optional for compatibility; the serving core always provides it.
   */
  onBriefPosted?(brief: StoredBrief, posted: PostedBrief): Promise<void>;
}

/** Options of one brief post. */
export interface PostBriefOptions {
  /**
   * The outbox key of this delivery. Adapters that can should attach it to the message
   * (Slack: message metadata) so `findPostedBrief` can find the post after a crash.
   */
  readonly deliveryKey?: string;
}

/**
 * A connection only one replica may hold at a time — Discord's gateway: every session
 * receives every event, so two would answer each command twice. The serving core connects
 * it on the replica holding the lease called `name` and disconnects it when the lease is lost;
 * the adapter still posts (over REST) on every replica.
 */
export interface ExclusiveConnection {
  readonly name: string;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ChatAdapter {
  /** "slack" or "discord": the prefix of this adapter's ChannelRefs. */
  readonly platform: 'slack' | 'discord';
  start(handlers: ChatHandlers): Promise<void>;
  stop(): Promise<void>;
  /** Posts a brief to a channel (continuing in its thread when it exceeds limits). */
  postBrief(channel: ChannelRef, brief: StoredBrief, options?: PostBriefOptions): Promise<PostedBrief>;
  /**
   * Looks in the channel's recent history for a brief posted with this delivery key. The
   * outbox calls it on recovery for a delivery whose outcome a crash left unknown; adapters
   * without it get the delivery re-posted (at-least-once for that crash window).
   */
  findPostedBrief?(channel: ChannelRef, deliveryKey: string): Promise<PostedBrief | undefined>;
  /** Replies in a thread with an answer. */
  replyInThread(thread: ThreadRef, answer: Answer): Promise<void>;
  /** See ExclusiveConnection; adapters without one (Slack) run fully on every replica. */
  readonly exclusive?: ExclusiveConnection;
}
