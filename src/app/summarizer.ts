/**
 * Which summarizer a topic gets, as plain data (a spec), and the summarizer made from it.
 * A spec crosses into a build worker (app/build-pool.ts) where the summarizer is made again.
 */
import type { EnvSettings } from '../config/load.ts';
import { ConfigError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Summarizer, Topic } from '../core/types.ts';
import { ExtractiveSummarizer } from '../brief/summarize/extractive.ts';
import { LlmSummarizer } from '../brief/summarize/llm.ts';
import type { CacheRepo } from '../store/port.ts';

export type SummarizerSpec =
  | { readonly kind: 'extractive' }
  | {
      readonly kind: 'llm';
      readonly apiKey: string;
      readonly baseURL?: string;
      readonly model: string;
      readonly maxTokensPerBrief?: number;
      readonly stream?: boolean;
    };

/** The spec a topic's settings and the environment ask for; ConfigError when they can't be met. */
export function summarizerSpec(topic: Topic, env: EnvSettings): SummarizerSpec {
  const kind = topic.summarizer.kind;
  if (kind === 'extractive' || (kind === 'auto' && env.openai === undefined)) return { kind: 'extractive' };
  if (env.openai === undefined) {
    throw new ConfigError(`topic ${topic.id}: summarizer.kind is "llm" but OPENAI_API_KEY is not set`, 'OPENAI_API_KEY');
  }
  return {
    kind: 'llm',
    apiKey: env.openai.apiKey,
    ...(env.openai.baseURL !== undefined && { baseURL: env.openai.baseURL }),
    model: topic.summarizer.model ?? env.openai.model,
    ...(topic.summarizer.maxTokensPerBrief !== undefined && { maxTokensPerBrief: topic.summarizer.maxTokensPerBrief }),
    ...(topic.summarizer.stream === true && { stream: true }),
  };
}

/** The name a brief records ("extractive", "llm:<model>"), known before building. */
export function summarizerName(spec: SummarizerSpec): string {
  return spec.kind === 'extractive' ? 'extractive' : `llm:${spec.model}`;
}

/** A summarizer for one brief (an LLM summarizer holds that brief's token budget). */
export function createSummarizer(spec: SummarizerSpec, cache: CacheRepo, logger: Logger): Summarizer {
  const extractive = new ExtractiveSummarizer();
  if (spec.kind === 'extractive') return extractive;
  return new LlmSummarizer({
    apiKey: spec.apiKey,
    ...(spec.baseURL !== undefined && { baseURL: spec.baseURL }),
    model: spec.model,
    ...(spec.maxTokensPerBrief !== undefined && { maxTokensPerBrief: spec.maxTokensPerBrief }),
    ...(spec.stream === true && { stream: true }),
    cache,
    fallback: extractive,
    logger,
  });
}

/** Chooses and makes the summarizer a topic's settings and the environment ask for. */
export function summarizerFor(topic: Topic, env: EnvSettings, cache: CacheRepo, logger: Logger): Summarizer {
  return createSummarizer(summarizerSpec(topic, env), cache, logger);
}
