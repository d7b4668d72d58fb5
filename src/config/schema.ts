/**
 * The config file's schema (one YAML or JSON file, see briefbot.config.yaml). Parsed once,
 * in config/load.ts; everything else receives typed values.
 */
import { z } from 'zod';
import type { SummarizerSettings } from '../core/types.ts';
import { isWindow } from '../core/window.ts';

/**
 * A topic id, in the config file and for an ad-hoc topic on the command line alike: it names
 * the topic's stored articles and briefs, and chat commands (`/brief china-ai`) type it.
 */
export const TOPIC_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const TOPIC_ID_RULE = 'lowercase letters, digits, "-" or "_" (e.g. china-ai)';

const topicId = z.string().regex(TOPIC_ID, `must be ${TOPIC_ID_RULE}`);

const sourceEntry = z.union([
  z.string().min(1),
  z
    .object({
      url: z.string().min(1).optional(),
      path: z.string().min(1).optional(),
      kind: z.enum(['auto', 'feed', 'page', 'folder', 'file']).default('auto'),
      title: z.string().min(1).optional(),
    })
    .strict()
    .refine((s) => (s.url === undefined) !== (s.path === undefined), 'give exactly one of url or path'),
]);

const windowText = z.string().refine(isWindow, 'must be a window like 24h, 7d, 2w or all');

const channel = z.string().regex(/^(slack|discord):[A-Za-z0-9_-]+$/, 'must look like slack:C0123ABCD or discord:123456789');

/** A topic's summarizer settings when the config file (or an ad-hoc topic) says nothing. */
export const SUMMARIZER_DEFAULTS = { kind: 'auto', maxStories: 8 } as const satisfies Required<
  Pick<SummarizerSettings, 'kind' | 'maxStories'>
>;

/** How the HTTP client fetches when the config file's `fetch` says nothing. */
export const FETCH_DEFAULTS = {
  timeoutMs: 20_000,
  maxBytes: 10_000_000,
  maxRedirects: 5,
  perHostConcurrency: 2,
  retries: 2,
} as const satisfies Record<'timeoutMs' | 'maxBytes' | 'maxRedirects' | 'perHostConcurrency' | 'retries', number>;

export const summarizerSchema = z
  .object({
    kind: z.enum(['auto', 'extractive', 'llm']).default(SUMMARIZER_DEFAULTS.kind),
    model: z.string().min(1).optional(),
    maxTokensPerBrief: z.number().int().positive().optional(),
    maxStories: z.number().int().min(1).max(50).default(SUMMARIZER_DEFAULTS.maxStories),
    /** Ask the LLM server to stream its replies (SSE); some local servers only answer well streamed. */
    stream: z.boolean().optional(),
  })
  .strict();

export const topicSchema = z
  .object({
    id: topicId,
    title: z.string().min(1).optional(),
    sources: z.array(sourceEntry).min(1, 'a topic needs at least one source'),
    include: z.array(z.string().min(1)).default([]),
    exclude: z.array(z.string().min(1)).default([]),
    window: windowText.default('24h'),
    schedule: z
      .object({ cron: z.string().min(1), timezone: z.string().min(1).default('UTC') })
      .strict()
      .optional(),
    channels: z.array(channel).default([]),
    summarizer: summarizerSchema.default(SUMMARIZER_DEFAULTS),
  })
  .strict();

export const fetchSchema = z
  .object({
    timeoutMs: z.number().int().min(100).max(300_000).default(FETCH_DEFAULTS.timeoutMs),
    maxBytes: z.number().int().min(1024).max(200_000_000).default(FETCH_DEFAULTS.maxBytes),
    maxRedirects: z.number().int().min(0).max(20).default(FETCH_DEFAULTS.maxRedirects),
    perHostConcurrency: z.number().int().min(1).max(32).default(FETCH_DEFAULTS.perHostConcurrency),
    retries: z.number().int().min(0).max(10).default(FETCH_DEFAULTS.retries),
    userAgent: z.string().min(1).optional(),
  })
  .strict();

/** Brief builds in `serve`: worker threads and the time a build may take before it is stopped. */
export const buildsSchema = z
  .object({
    workers: z.number().int().min(1).max(16).optional(),
    budgetMs: z.number().int().min(1_000).max(3_600_000).default(120_000),
  })
  .strict();

export const configSchema = z
  .object({
    /** SQLite file (default ./data/briefbot.db beside the working directory) or a postgres:// URL. */
    database: z.string().min(1).optional(),
    /** Hosts, IPs or CIDRs that fetches may reach even though they are private/loopback. */
    allowHosts: z.array(z.string().min(1)).default([]),
    fetch: fetchSchema.default(FETCH_DEFAULTS),
    builds: buildsSchema.default({ budgetMs: 120_000 }),
    topics: z.array(topicSchema).default([]),
  })
  .strict();

export type ConfigFile = z.infer<typeof configSchema>;
export type TopicEntry = z.infer<typeof topicSchema>;
export type FetchSettings = z.infer<typeof fetchSchema>;
export type BuildSettings = z.infer<typeof buildsSchema>;
