/**
 * The LLM summarizer, on any OpenAI-compatible server through the structured-output client
 * (llm/openai.ts).
 *
 * Per story: select evidence (bounded tokens) → fence it as data in the versioned prompt →
 * ask for JSON → validate → map to the Story contract. Stories with many articles are
 * map-reduced: chunks summarized separately, then merged. Replies are cached by (prompt
 * version, model, prompt content). Failure stays as small as it can: a failed chunk is
 * retried alone, then written by the fallback summarizer while the other chunks keep the
 * model's work; a failed merge joins the partials without the model; only a story the model
 * could not write at all falls back whole. Every such case is a note: a brief is never lost
 * because the model misbehaved. Verification (cited or cut) runs afterwards, in the brief
 * stage, as for any summarizer.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { oneLine } from '../../core/errors.ts';
import { redactSecrets } from '../../core/redact.ts';
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
import { normalizeForMatch } from '../../text/normalize.ts';
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

/** What the LLM summarizer does when its options say nothing. */
export const LLM_SUMMARIZER_DEFAULTS = {
  concurrency: 4,
  evidenceTokens: DEFAULT_EVIDENCE_TOKENS,
  maxArticlesPerCall: 50,
} as const satisfies Required<Pick<LlmOptions, 'concurrency' | 'evidenceTokens' | 'maxArticlesPerCall'>>;

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

  private readonly options: LlmOptions & Required<Pick<LlmOptions, 'concurrency' | 'evidenceTokens' | 'maxArticlesPerCall'>>;

  constructor(options: LlmOptions) {
    this.options = { ...LLM_SUMMARIZER_DEFAULTS, ...options };
    this.name = `llm:${options.model}`;
    this.chat = new OpenAiJsonChat(options);
    this.limit = pLimit(this.options.concurrency);
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
      const written = await this.write(story, spent, options.signal);
      return {
        story: toDraft(story, written.output),
        usage: spent.usage,
        ...(written.notes.length > 0 && { note: written.notes.join('; ') }),
      };
    } catch (error) {
      const failure = classifyLlmError(error);
      this.logger.warn(
        // The server's own error text may quote the key ("Incorrect API key provided: sk-…").
        {
          story: story.id,
          model: this.options.model,
          reason: failure.reason,
          error: failure.message,
          cause: redactSecrets(causeOf(failure) ?? '', [this.options.apiKey]),
        },
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

  private async write(
    story: StoryInput,
    spent: { usage: Usage },
    signal: AbortSignal | undefined,
  ): Promise<{ output: StoryOutput; notes: string[] }> {
    if (story.articles.length === 0) throw new LlmCallError('the story has no articles', 'empty-story');
    const perCall = this.options.maxArticlesPerCall;
    if (story.articles.length <= perCall) return { output: await this.summarizeChunk(story.id, story.articles, spent, signal), notes: [] };
    // Map-reduce: each chunk's evidence is bounded, and so is the merge of their summaries.
    const chunkCount = Math.ceil(story.articles.length / perCall);
    const size = Math.ceil(story.articles.length / chunkCount);
    const chunks = Array.from({ length: chunkCount }, (_, i) => story.articles.slice(i * size, (i + 1) * size));
    const results = await Promise.all(chunks.map((chunk) => this.chunkOrFallback(story.id, chunk, spent, signal)));
    const failed = results.filter((r) => r.failure !== undefined);
    // Nothing of the model's left to merge: the story falls back whole (the caller's note).
    if (failed.length === chunks.length) throw failed[0]!.failure!;
    const notes = results.flatMap((r, i) => {
      if (r.failure === undefined) return [];
      const ids = chunks[i]!.map((a) => a.id);
      return [
        `articles ${ids[0]}–${ids.at(-1)} (part ${i + 1} of ${chunkCount}) written by ${this.options.fallback.name}: ${r.failure.message}`,
      ];
    });
    const partials = results.map((r) => r.output);
    const prompt = this.prompts.render('cluster-merge', {
      story_id: story.id,
      article_ids: story.articles.map((a) => a.id).join(', '),
      partials: partials.map((p, i) => `<partial n="${i + 1}">\n${escapeForFence(JSON.stringify(p, null, 1))}\n</partial>`).join('\n\n'),
    });
    try {
      return { output: await this.call(prompt, spent, signal), notes };
    } catch (error) {
      const failure = classifyLlmError(error);
      if (failure.reason === 'aborted') throw failure;
      this.logger.warn(
        { story: story.id, model: this.options.model, reason: failure.reason },
        'LLM merge failed; partials joined without it',
      );
      return {
        output: joinPartials(partials),
        notes: [...notes, `the merge of ${partials.length} partial summaries failed (${failure.message}); joined without the model`],
      };
    }
  }

  /**
   * One chunk of a map-reduced story. A failed chunk is retried alone (the others keep their
   * answers); if it fails again, or the budget is spent, the fallback summarizer writes it.
   */
  private async chunkOrFallback(
    storyId: string,
    articles: readonly StoryArticle[],
    spent: { usage: Usage },
    signal: AbortSignal | undefined,
  ): Promise<{ output: StoryOutput; failure?: LlmCallError }> {
    let failure: LlmCallError | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return { output: await this.summarizeChunk(storyId, articles, spent, signal) };
      } catch (error) {
        failure = classifyLlmError(error);
        if (failure.reason === 'aborted') throw failure;
        this.logger.warn({ story: storyId, model: this.options.model, reason: failure.reason, attempt: attempt + 1 }, 'LLM chunk failed');
        if (failure.reason === 'budget') break;
      }
    }
    const fallback = await this.options.fallback.summarize({ id: storyId, articles }, signal ? { signal } : {});
    spent.usage = addUsage(spent.usage, fallback.usage);
    return { output: fromDraft(fallback.story), failure: failure! };
  }

  private summarizeChunk(
    storyId: string,
    articles: readonly StoryArticle[],
    spent: { usage: Usage },
    signal: AbortSignal | undefined,
  ): Promise<StoryOutput> {
    const evidence = selectEvidence(articles, { budgetTokens: this.options.evidenceTokens });
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
      this.logger.debug({ prompt: prompt.version, model: this.options.model, mode: this.chat.outputMode, ...result.usage }, 'LLM call');
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

/** A fallback summarizer's draft in the model's output shape, to merge with the model's partials. */
function fromDraft(draft: StoryDraft): StoryOutput {
  return {
    headline: draft.headline,
    summary: draft.summary,
    claims: draft.claims.map((c) => ({ text: c.text, articleIds: [...c.articleIds] })),
    figures: draft.figures.map((f) => ({ value: f.value, text: f.text, articleIds: [...f.articleIds] })),
    disagreements: draft.disagreements.map((d) => ({
      about: d.about,
      positions: d.positions.map((p) => ({ text: p.text, articleIds: [...p.articleIds] })),
    })),
  };
}

/**
 * Partials joined without the model, when the merge call fails: the first partial's headline
 * and summary, the same claim or figure once (with every partial's citations), all
 * disagreements. Verification still checks every item afterwards.
 */
export function joinPartials(partials: readonly StoryOutput[]): StoryOutput {
  const merge = <T extends { articleIds: string[] }>(items: readonly T[], key: (item: T) => string): T[] => {
    const byKey = new Map<string, T>();
    for (const item of items) {
      const k = key(item);
      const seen = byKey.get(k);
      if (seen) seen.articleIds = [...new Set([...seen.articleIds, ...item.articleIds])];
      else byKey.set(k, { ...item, articleIds: [...item.articleIds] });
    }
    return [...byKey.values()];
  };
  return {
    headline: partials[0]?.headline ?? '',
    summary: partials[0]?.summary ?? '',
    claims: merge(
      partials.flatMap((p) => p.claims),
      (c) => normalizeForMatch(c.text),
    ),
    figures: merge(
      partials.flatMap((p) => p.figures),
      (f) => `${normalizeForMatch(f.value)}\u0000${normalizeForMatch(f.text)}`,
    ),
    disagreements: partials.flatMap((p) => p.disagreements),
  };
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
