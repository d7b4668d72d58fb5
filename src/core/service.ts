/**
 * What the chat adapters and the scheduler need from the core: topics, briefs and answers.
 * Implemented once over the pipeline and the store (app/brief-service.ts); adapters depend only
 * on this interface, never on the pipeline's modules or a chat SDK of another platform.
 */
import type { SourceHealth, StoredBrief, Topic } from './types.ts';

/** A cited answer to a follow-up question about a brief. */
export interface Answer {
  /** Plain text; citations appear inline as [1], [2] numbered like `sources`. */
  readonly text: string;
  /** The brief's articles the answer cites, in citation order. */
  readonly sources: readonly { readonly id: string; readonly title: string; readonly url: string }[];
  /** False when the sources do not answer the question (the text then says so plainly). */
  readonly answered: boolean;
}

export interface BriefRequest {
  /** Window as written ("24h", "7d", "all", ISO); the topic's own window when absent. */
  readonly window?: string;
  /** Reuse a stored brief of the same topic and window younger than this (ms). */
  readonly maxAgeMs?: number;
}

export interface BriefService {
  topics(): readonly Topic[];
  /** Throws UnknownTopicError for an unknown id. */
  topic(id: string): Topic;
  /** Collects (unless offline) and builds a brief, or reuses a fresh stored one. */
  brief(topicId: string, request?: BriefRequest): Promise<StoredBrief>;
  /** The stored brief with this id. */
  storedBrief(briefId: string): Promise<StoredBrief | undefined>;
  /** Answers a follow-up question from the sources of a stored brief. */
  answer(briefId: string, question: string): Promise<Answer>;
  /** Sources of the topic that are failing now. */
  failingSources(topicId: string): Promise<SourceHealth[]>;
}
