/**
 * The LLM summarizer, on any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp,
 * LiteLLM). The only module that imports `openai`.
 *
 * Per story: select evidence (bounded tokens) → fence it as data in the versioned prompt →
 * ask for JSON (json_schema, else json_object, else plain text parsed tolerantly) → validate
 * → map to the Story contract. Stories with many articles are map-reduced: chunks summarized
 * separately, then merged. Replies are cached by (prompt version, model, prompt content).
 * Whatever goes wrong, the story is written by the fallback summarizer with a note: a brief
 * is never lost because the model misbehaved. Verification (cited or cut) runs afterwards,
 * in the brief stage, as for any summarizer.
 */
import { createHash } from 'node:crypto';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import pLimit, { type LimitFunction } from 'p-limit';
import type { z } from 'zod';
import { oneLine } from '../core/errors.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import {
  ZERO_USAGE,
  type StoryArticle,
  type StoryDraft,
  type StoryInput,
  type SummarizeResult,
  type Summarizer,
  type Usage,
} from '../core/types.ts';
import type { CacheRepo } from '../store/port.ts';
import { DEFAULT_EVIDENCE_TOKENS, selectEvidence } from './evidence.ts';
import { addUsage, estimateTokens, TokenBudget } from './llm-budget.ts';
import { LlmCallError, type JsonCall, type JsonCallResult, type JsonChat } from './llm-client.ts';
import { BadJsonError, escapeForFence, parseModelJson, storyOutputSchema, strictJsonSchema, unescapeFromFence, type StoryOutput } from './llm-json.ts';
import { defaultPrompts, type PromptRegistry, type RenderedPrompt } from './prompts.ts';

export { LlmCallError, type JsonCall, type JsonCallResult, type JsonChat } from './llm-client.ts';

/** How structured output is asked for; servers that reject one get the next. */
export type OutputMode = 'json_schema' | 'json_object' | 'text';

export interface LlmClientOptions {
  readonly apiKey: string;
  /** e.g. `http://localhost:11434/v1` (Ollama); the SDK's default (OpenAI) when absent. */
  readonly baseURL?: string;
  readonly model: string;
  /** Per request, each SDK retry included. */
  readonly timeoutMs?: number;
  /** SDK retries of 429 (honouring Retry-After), 5xx, timeouts and connection errors. */
  readonly maxRetries?: number;
  /** Our retries of a bad reply (malformed/truncated JSON, refusal, empty). */
  readonly replyRetries?: number;
  /** Backoff before a reply retry, multiplied by the attempt number. */
  readonly retryDelayMs?: number;
  readonly maxCompletionTokens?: number;
  /** Stream the reply (SSE) instead of one response; usage comes in the last chunk. */
  readonly stream?: boolean;
  readonly logger?: Logger;
}

type ClientDefaults = Required<Pick<LlmClientOptions, 'timeoutMs' | 'maxRetries' | 'replyRetries' | 'retryDelayMs' | 'maxCompletionTokens' | 'stream'>>;

export const DEFAULT_LLM_CLIENT_OPTIONS: ClientDefaults = {
  timeoutMs: 60_000,
  maxRetries: 2,
  replyRetries: 1,
  retryDelayMs: 250,
  maxCompletionTokens: 1500,
  stream: false,
};

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

interface Reply {
  readonly content: string | null;
  readonly refusal: string | null;
  readonly finishReason: string | null;
  readonly usage: Usage;
}

function usageOf(u: { prompt_tokens?: number; completion_tokens?: number } | null | undefined): Usage {
  return { llmCalls: 1, promptTokens: u?.prompt_tokens ?? 0, completionTokens: u?.completion_tokens ?? 0 };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Maps an SDK error (after its own retries) to a SummarizerError reason. */
function classify(error: unknown): LlmCallError {
  if (error instanceof LlmCallError) return error;
  const wrap = (message: string, reason: string) => new LlmCallError(message, reason, ZERO_USAGE, { cause: error });
  if (error instanceof APIUserAbortError) return wrap('the request was aborted', 'aborted');
  if (error instanceof APIConnectionTimeoutError) return wrap('the LLM server did not answer in time', 'timeout');
  if (error instanceof APIConnectionError) return wrap('the LLM server could not be reached', 'connection');
  if (error instanceof APIError) {
    const status = error.status;
    if (status === 429) return wrap('the LLM server kept rate-limiting (429)', 'rate-limited');
    if (status !== undefined && status >= 500) return wrap(`the LLM server failed (HTTP ${status})`, 'server-error');
    return wrap(`the LLM server refused the request (HTTP ${status ?? '?'})`, `http-${status ?? 'error'}`);
  }
  return wrap(`the LLM call failed: ${oneLine(error)}`, 'error');
}

function rejectsResponseFormat(error: unknown): boolean {
  return error instanceof APIError && error.status === 400 && /response_format|json_schema|json_object|structured/i.test(error.message);
}

/**
 * A structured-output chat client over the openai SDK. Remembers, per instance, which output
 * mode the server accepts, so a server without json_schema is asked only once.
 */
export class OpenAiJsonChat implements JsonChat {
  readonly model: string;
  private readonly client: OpenAI;
  private readonly options: LlmClientOptions & ClientDefaults;
  private mode: OutputMode = 'json_schema';

  constructor(options: LlmClientOptions) {
    this.options = { ...DEFAULT_LLM_CLIENT_OPTIONS, ...options };
    this.model = options.model;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL !== undefined && { baseURL: options.baseURL }),
      timeout: this.options.timeoutMs,
      maxRetries: this.options.maxRetries,
    });
  }

  /** The output mode currently used (it only ever steps down). */
  get outputMode(): OutputMode {
    return this.mode;
  }

  async json<T>(call: JsonCall<T>): Promise<JsonCallResult<T>> {
    const logger = this.options.logger ?? silentLogger;
    let usage: Usage = ZERO_USAGE;
    let lastError: LlmCallError | undefined;
    for (let attempt = 0; attempt <= this.options.replyRetries; attempt++) {
      if (attempt > 0) await sleep(this.options.retryDelayMs * attempt, call.signal);
      if (call.signal?.aborted) throw new LlmCallError('the request was aborted', 'aborted', usage);
      let reply: Reply;
      try {
        reply = await this.send(call);
      } catch (error) {
        if (rejectsResponseFormat(error) && this.mode !== 'text') {
          const next: OutputMode = this.mode === 'json_schema' ? 'json_object' : 'text';
          logger.info({ model: this.model, from: this.mode, to: next }, 'LLM server rejects response_format; stepping down');
          this.mode = next;
          attempt--; // a format downgrade is not a failed reply
          continue;
        }
        const failure = classify(error);
        throw new LlmCallError(failure.message, failure.reason, usage, { cause: error });
      }
      usage = addUsage(usage, reply.usage);
      try {
        return { value: this.read(reply, call.schema), usage };
      } catch (error) {
        lastError = error instanceof LlmCallError ? error : new LlmCallError(oneLine(error), 'bad-json', usage);
        logger.warn({ model: this.model, attempt: attempt + 1, reason: lastError.reason }, 'LLM reply unusable');
      }
    }
    throw new LlmCallError(lastError?.message ?? 'no usable reply', lastError?.reason ?? 'bad-json', usage);
  }

  private read<T>(reply: Reply, schema: z.ZodType<T>): T {
    if (reply.refusal) throw new LlmCallError(`the model refused: ${oneLine(reply.refusal).slice(0, 120)}`, 'refusal');
    const content = reply.content?.trim() ?? '';
    if (content.length === 0) throw new LlmCallError('the model returned an empty answer', 'empty');
    try {
      return parseModelJson(content, schema);
    } catch (error) {
      if (!(error instanceof BadJsonError)) throw error;
      const truncated = reply.finishReason === 'length' || error.message.startsWith('truncated');
      throw new LlmCallError(
        truncated ? 'the model reply was cut off (truncated JSON)' : `the model reply was not usable JSON (${error.message})`,
        truncated ? 'truncated' : 'bad-json',
      );
    }
  }

  private params(call: JsonCall<unknown>): ChatCompletionCreateParamsNonStreaming {
    const responseFormat =
      this.mode === 'json_schema'
        ? { response_format: { type: 'json_schema' as const, json_schema: { name: call.schemaName, strict: true, schema: strictJsonSchema(call.schema) } } }
        : this.mode === 'json_object'
          ? { response_format: { type: 'json_object' as const } }
          : {};
    return {
      model: this.model,
      messages: [
        { role: 'system', content: call.system },
        { role: 'user', content: call.user },
      ],
      max_tokens: this.options.maxCompletionTokens,
      ...responseFormat,
    };
  }

  private async send(call: JsonCall<unknown>): Promise<Reply> {
    const requestOptions = call.signal ? { signal: call.signal } : {};
    if (!this.options.stream) {
      const completion = await this.client.chat.completions.create(this.params(call), requestOptions);
      const choice = completion.choices[0];
      return {
        content: choice?.message.content ?? null,
        refusal: choice?.message.refusal ?? null,
        finishReason: choice?.finish_reason ?? null,
        usage: usageOf(completion.usage),
      };
    }
    const stream = await this.client.chat.completions.create(
      { ...this.params(call), stream: true, stream_options: { include_usage: true } },
      requestOptions,
    );
    let content = '';
    let refusal = '';
    let finishReason: string | null = null;
    let usage: Usage = { llmCalls: 1, promptTokens: 0, completionTokens: 0 };
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) content += choice.delta.content;
      if (choice?.delta.refusal) refusal += choice.delta.refusal;
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = usageOf(chunk.usage);
    }
    return { content, refusal: refusal || null, finishReason, usage };
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

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

  constructor(private readonly options: LlmOptions) {
    this.name = `llm:${options.model}`;
    this.chat = new OpenAiJsonChat(options);
    this.limit = pLimit(options.concurrency ?? 4);
    this.budget = new TokenBudget(options.maxTokensPerBrief);
    // Loaded (and checked) here, so a broken prompt file fails before any story is written.
    this.prompts = options.prompts ?? defaultPrompts();
    this.logger = options.logger ?? silentLogger;
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

  async summarize(story: StoryInput, options: { readonly signal?: AbortSignal } = {}): Promise<SummarizeResult> {
    const spent = { usage: ZERO_USAGE };
    try {
      const output = await this.write(story, spent, options.signal);
      return { story: toDraft(story, output), usage: spent.usage };
    } catch (error) {
      const failure = classify(error);
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
    const key = `${prompt.version}:${this.options.model}:${sha256(`${prompt.system}\u0000${prompt.user}`)}`;
    const cached = await this.options.cache?.get(CACHE_NAMESPACE, key);
    if (cached !== undefined) {
      const parsed = storyOutputSchema.safeParse(safeJson(cached));
      if (parsed.success) return parsed.data;
    }
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
      await this.options.cache?.set(CACHE_NAMESPACE, key, JSON.stringify(result.value), CACHE_TTL_SECONDS);
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

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
