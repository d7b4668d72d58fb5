/**
 * The shape of one structured chat call, independent of the SDK that makes it, so the answer
 * module and tests can speak about calls without importing `openai` (only llm.ts does).
 */
import type { z } from 'zod';
import { SummarizerError } from '../core/errors.ts';
import { ZERO_USAGE, type Usage } from '../core/types.ts';

export interface JsonCall<T> {
  readonly system: string;
  readonly user: string;
  /** Validates the reply. */
  readonly schema: z.ZodType<T>;
  /** Name of the schema in `response_format.json_schema.name`. */
  readonly schemaName: string;
  readonly signal?: AbortSignal;
}

export interface JsonCallResult<T> {
  readonly value: T;
  /** Everything the call cost, retries included. */
  readonly usage: Usage;
}

/** One structured chat call with its retries: what both the summarizer and answers use. */
export interface JsonChat {
  readonly model: string;
  json<T>(call: JsonCall<T>): Promise<JsonCallResult<T>>;
}

/** A failed LLM call, with what it cost before failing (a bad reply still used tokens). */
export class LlmCallError extends SummarizerError {
  readonly usage: Usage;
  constructor(message: string, reason: string, usage: Usage = ZERO_USAGE, options?: { cause?: unknown }) {
    super(message, reason, options);
    this.usage = usage;
  }
}
