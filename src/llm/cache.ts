/**
 * LLM replies cached by (prompt version, model, prompt content), so a repeated prompt costs
 * nothing. A cached entry is parsed with the reply's schema like a fresh reply: a corrupt or
 * outdated entry is a miss, never a crash.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { CacheRepo } from '../store/port.ts';
import type { RenderedPrompt } from './prompts.ts';

/** The cache key of a prompt sent to a model. */
export function replyCacheKey(prompt: RenderedPrompt, model: string): string {
  return `${prompt.version}:${model}:${createHash('sha256').update(`${prompt.system}\u0000${prompt.user}`).digest('hex')}`;
}

export class ReplyCache<T> {
  /** `repo` undefined = no caching. */
  constructor(
    private readonly repo: CacheRepo | undefined,
    private readonly namespace: string,
    private readonly ttlSeconds: number,
    private readonly schema: z.ZodType<T>,
  ) {}

  async get(key: string): Promise<T | undefined> {
    const cached = await this.repo?.get(this.namespace, key);
    if (cached === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(cached);
    } catch {
      return undefined;
    }
    const parsed = this.schema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  }

  async set(key: string, value: T): Promise<void> {
    await this.repo?.set(this.namespace, key, JSON.stringify(value), this.ttlSeconds);
  }
}
