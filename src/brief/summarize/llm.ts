/**
 * The LLM summarizer, on any OpenAI-compatible server through the structured-output client
 * (llm/openai.ts).
 *
 * Per story: select evidence (bounded tokens) → fence it as data in the versioned prompt →
 * ask for JSON → validate → map to the Story contract. Stories with many articles are
 * map-reduced: chunks summarized separately, then merged. Replies are cached by (prompt
 * version, model, prompt content). Whatever goes wrong, the story is written by the fallback
 * summarizer with a note: a brief is never lost because the model misbehaved. Verification
 * (cited or cut) runs afterwards, in the brief stage, as for any summarizer.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { oneLine } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/log.ts';
import {
  ZERO_USAGE,
  type StoryArticle,
  type StoryDraft,
  type StoryInput,
  type SummarizeResult,
  type Summarizer,
  type Usage,
} from '../../core/types.ts';
import type { CacheRepo } from '../../store/port.ts';
import { addUsage, estimateTokens, TokenBudget } from '../../llm/budget.ts';
import { ReplyCache, replyCacheKey } from '../../llm/cache.ts';
import { LlmCallError } from '../../llm/client.ts';
import { escapeForFence, storyOutputSchema, unescapeFromFence, type StoryOutput } from '../../llm/json.ts';
import { classifyLlmError, OpenAiJsonChat, type LlmClientOptions } from '../../llm/openai.ts';
import { defaultPrompts, type PromptRegistry, type RenderedPrompt } from '../../llm/prompts.ts';
import { screenArticles } from '../verify.ts';
import { DEFAULT_EVIDENCE_TOKENS, selectEvidence } from './evidence.ts';

export interface LlmOptions extends LlmClientOptions {
  /** Prompt+completion tokens this summarizer (one brief) may spend; unlimited when absent. */
  readonly maxTokensPerBrief?: number;
  /** Calls in flight at once, all stories of the brief together. */
  readonly concurrency?: number;
  readonly cache?: CacheRepo;
  /** Writes a story when the LLM can't (extractive in practice). */
  readonly fallback: Summarizer;
  /** Estimated evidence tokens per prompt. */
  readonly evidenceTokens?: number;
  /** Stories with more articles than this are map-reduced in chunks of this size. */
  readonly maxArticlesPerCall?: number;
  readonly prompts?: PromptRegistry;
}

/** Completion tokens assumed when reserving budget for a call (settled to the real count). */
const EXPECTED_COMPLETION_TOKENS = 600;
const CACHE_NAMESPACE = 'llm';
const CACHE_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Summarizes stories with an LLM. Create one per brief: it holds that brief's token budget
 * and concurrency limit.
 */
export class LlmSummarizer implements Summarizer {
  readonly name: string;
  private readonly chat: OpenAiJsonChat;
  private readonly limit: LimitFunction;
  private readonly budget: TokenBudget;
  private readonly prompts: PromptRegistry;
  private readonly logger: Logger;
  private readonly cache: ReplyCache<StoryOutput>;

  constructor(private readonly options: LlmOptions) {
    this.name = `llm:${options.model}`;
    this.chat = new OpenAiJsonChat(options);
    this.limit = pLimit(options.concurrency ?? 4);
    this.budget = new TokenBudget(options.maxTokensPerBrief);
    // Loaded (and checked) here, so a broken prompt file fails before any story is written.
    this.prompts = options.prompts ?? defaultPrompts();
    this.logger = options.logger ?? silentLogger;
    this.cache = new ReplyCache(options.cache, CACHE_NAMESPACE, CACHE_TTL_SECONDS, storyOutputSchema);
  }

  /** The prompt versions this summarizer writes with ("story-summary.v1", …), for records. */
  get promptVersions(): readonly string[] {
    return ['story-summary', 'cluster-merge'].map((task) => {
      const t = this.prompts.get(task);
      return `${t.task}.v${t.version}`;
    });
  }

  /** Tokens spent so far by this summarizer (this brief). */
  get tokensUsed(): number {
    return this.budget.used;
  }

  async summarize(input: StoryInput, options: { readonly signal?: AbortSignal } = {}): Promise<SummarizeResult> {
    // Planted instructions never reach the prompt (the brief stage screens too; direct callers may not).
    const story: StoryInput = { ...input, articles: screenArticles(input.articles) };
    const spent = { usage: ZERO_USAGE };
    try {
      const output = await this.write(story, spent, options.signal);
      return { story: toDraft(story, output), usage: spent.usage };
    } catch (error) {
      const failure = classifyLlmError(error);
      this.logger.warn(
        { story: story.id, model: this.options.model, reason: failure.reason, error: failure.message, cause: causeOf(failure) },
        'LLM summary failed; the story falls back',
      );
      const fallback = await this.options.fallback.summarize(story, options);
      return {
        story: fallback.story,
        usage: addUsage(spent.usage, fallback.usage),
        note: `fell back to ${this.options.fallback.name}: ${failure.message}`,
      };
    }
  }

  private async write(story: StoryInput, spent: { usage: Usage }, signal: AbortSignal | undefined): Promise<StoryOutput> {
    if (story.articles.length === 0) throw new LlmCallError('the story has no articles', 'empty-story');
    const perCall = this.options.maxArticlesPerCall ?? 50;
    if (story.articles.length <= perCall) return this.summarizeChunk(story.id, story.articles, spent, signal);
    // Map-reduce: each chunk's evidence is bounded, and so is the merge of their summaries.
    const chunkCount = Math.ceil(story.articles.length / perCall);
    const size = Math.ceil(story.articles.length / chunkCount);
    const chunks = Array.from({ length: chunkCount }, (_, i) => story.articles.slice(i * size, (i + 1) * size));
    const partials = await Promise.all(chunks.map((chunk) => this.summarizeChunk(story.id, chunk, spent, signal)));
    const prompt = this.prompts.render('cluster-merge', {
      story_id: story.id,
      article_ids: story.articles.map((a) => a.id).join(', '),
      partials: partials.map((p, i) => `<partial n="${i + 1}">\n${escapeForFence(JSON.stringify(p, null, 1))}\n</partial>`).join('\n\n'),
    });
    return this.call(prompt, spent, signal);
  }

  private summarizeChunk(
    storyId: string,
    articles: readonly StoryArticle[],
    spent: { usage: Usage },
    signal: AbortSignal | undefined,
  ): Promise<StoryOutput> {
    const evidence = selectEvidence(articles, { budgetTokens: this.options.evidenceTokens ?? DEFAULT_EVIDENCE_TOKENS });
    const prompt = this.prompts.render('story-summary', {
      story_id: storyId,
      article_ids: articles.map((a) => a.id).join(', '),
      evidence: evidence.text,
    });
    return this.call(prompt, spent, signal);
  }

  /** One cached, budgeted, concurrency-limited call. */
  private async call(prompt: RenderedPrompt, spent: { usage: Usage }, signal: AbortSignal | undefined): Promise<StoryOutput> {
    const key = replyCacheKey(prompt, this.options.model);
    const cached = await this.cache.get(key);
    if (cached !== undefined) return cached;
    const reserve = estimateTokens(prompt.system) + estimateTokens(prompt.user) + EXPECTED_COMPLETION_TOKENS;
    if (!this.budget.reserve(reserve)) {
      throw new LlmCallError(`the brief's token budget (${this.budget.limit}) is spent`, 'budget');
    }
    let used = 0;
    try {
      const result = await this.limit(() =>
        this.chat.json({
          system: prompt.system,
          user: prompt.user,
          schema: storyOutputSchema,
          schemaName: 'story',
          ...(signal && { signal }),
        }),
      );
      used = result.usage.promptTokens + result.usage.completionTokens;
      spent.usage = addUsage(spent.usage, result.usage);
      this.logger.debug(
        { prompt: prompt.version, model: this.options.model, mode: this.chat.outputMode, ...result.usage },
        'LLM call',
      );
      await this.cache.set(key, result.value);
      return result.value;
    } catch (error) {
      if (error instanceof LlmCallError) {
        used = error.usage.promptTokens + error.usage.completionTokens;
        spent.usage = addUsage(spent.usage, error.usage);
      }
      throw error;
    } finally {
      this.budget.settle(reserve, used);
    }
  }
}

/** The innermost cause's message (e.g. ECONNRESET under "Connection error."), for the log. */
function causeOf(error: Error): string | undefined {
  let cause: unknown = error.cause;
  let last: string | undefined;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    last = oneLine(cause);
    cause = cause.cause;
  }
  return last;
}

/** The model's output as a Story draft: plain text, citations limited to the story's ids. */
export function toDraft(story: StoryInput, output: StoryOutput): StoryDraft {
  const allowed = new Set(story.articles.map((a) => a.id));
  const cite = (ids: readonly string[]): string[] => [...new Set(ids.map((id) => id.trim()))].filter((id) => allowed.has(id));
  const plain = (text: string): string => unescapeFromFence(text).replace(/\s+/g, ' ').trim();
  return {
    id: story.id,
    headline: plain(output.headline),
    summary: plain(output.summary),
    articleIds: story.articles.map((a) => a.id),
    claims: output.claims.map((c) => ({ text: plain(c.text), articleIds: cite(c.articleIds) })),
    figures: output.figures.map((f) => ({ value: plain(f.value), text: plain(f.text), articleIds: cite(f.articleIds) })),
    disagreements: output.disagreements.map((d) => ({
      about: plain(d.about),
      positions: d.positions.map((p) => ({ text: plain(p.text), articleIds: cite(p.articleIds) })),
    })),
  };
}
