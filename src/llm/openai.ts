/**
 * A structured-output chat client over the openai SDK, for any OpenAI-compatible server
 * (OpenAI, Ollama, vLLM, llama.cpp, LiteLLM). The only module that imports `openai`.
 * It asks for JSON (json_schema, else json_object, else plain text parsed tolerantly),
 * validates it against the caller's schema, and retries a bad reply.
 */
import type * as OpenAiSdk from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import { oneLine } from '../core/errors.ts';
import { lazyPackage } from '../core/lazy-package.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import { ZERO_USAGE, type Usage } from '../core/types.ts';
import { addUsage } from './budget.ts';
import { LlmCallError, type JsonCall, type JsonCallResult, type JsonChat } from './client.ts';
import { BadJsonError, parseModelJson, strictJsonSchema } from './json.ts';

/**
 * The SDK, loaded when a client is first made (its CommonJS build): importing it took 100–140 ms
 * of every CLI run, most of which never call a model (offline, the extractive summarizer).
 */
const sdk = lazyPackage<typeof OpenAiSdk>('openai');

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

type ClientDefaults = Required<
  Pick<LlmClientOptions, 'timeoutMs' | 'maxRetries' | 'replyRetries' | 'retryDelayMs' | 'maxCompletionTokens' | 'stream'>
>;

export const DEFAULT_LLM_CLIENT_OPTIONS: ClientDefaults = {
  timeoutMs: 60_000,
  maxRetries: 2,
  replyRetries: 1,
  retryDelayMs: 250,
  maxCompletionTokens: 1500,
  stream: false,
};

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
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Maps an SDK error (after its own retries) to a SummarizerError reason. */
export function classifyLlmError(error: unknown): LlmCallError {
  if (error instanceof LlmCallError) return error;
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk();
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
  return (
    error instanceof sdk().APIError && error.status === 400 && /response_format|json_schema|json_object|structured/i.test(error.message)
  );
}

/**
 * A structured-output chat client over the openai SDK. Remembers, per instance, which output
 * mode the server accepts, so a server without json_schema is asked only once.
 */
export class OpenAiJsonChat implements JsonChat {
  readonly model: string;
  private readonly client: OpenAiSdk.OpenAI;
  private readonly options: LlmClientOptions & ClientDefaults;
  private mode: OutputMode = 'json_schema';

  constructor(options: LlmClientOptions) {
    this.options = { ...DEFAULT_LLM_CLIENT_OPTIONS, ...options };
    this.model = options.model;
    this.client = new (sdk().OpenAI)({
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
        const failure = classifyLlmError(error);
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
        ? {
            response_format: {
              type: 'json_schema' as const,
              json_schema: { name: call.schemaName, strict: true, schema: strictJsonSchema(call.schema) },
            },
          }
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
