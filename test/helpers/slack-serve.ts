/**
 * Starts the real serving core with the real Slack adapter (HTTP mode) against the fake
 * Slack Web API, over a real SQLite store and the real BriefService reading local article
 * files: the fixture "harbor" topic and the invented "city-ai" articles (test/fixtures/city-ai/),
 * so that the suite needs nothing beside the clone.
 */
import { fileURLToPath } from 'node:url';
import { createBriefService } from '../../src/app/brief-service.ts';
import type { BriefBuilder } from '../../src/app/build.ts';
import type { BriefService } from '../../src/core/service.ts';
import { SlackAdapter } from '../../src/chat/slack/adapter.ts';
import { readEnv, toTopic } from '../../src/config/load.ts';
import { topicSchema } from '../../src/config/schema.ts';
import { silentLogger, type Logger } from '../../src/core/log.ts';
import type { Topic } from '../../src/core/types.ts';
import { startServe, type ServeHandle, type ServeOptions } from '../../src/cli/serve-host.ts';
import type { Store } from '../../src/store/port.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { FakeSlack } from '../fakes/slack.ts';

export const SIGNING_SECRET = 'test-signing-secret';
export const FIXTURES = fileURLToPath(new URL('../fixtures/serve-news/', import.meta.url));
export const CITY_AI = fileURLToPath(new URL('../fixtures/city-ai/', import.meta.url));

export function testTopics(overrides: { harborChannels?: string[]; schedule?: { cron: string; timezone: string } } = {}): Topic[] {
  const schedule = overrides.schedule ?? { cron: '0 9 * * *', timezone: 'UTC' };
  return [
    toTopic(
      topicSchema.parse({
        id: 'harbor',
        title: 'Harbor news',
        sources: [{ path: FIXTURES, title: 'Fixture folder' }],
        window: 'all',
        schedule,
        channels: overrides.harborChannels ?? ['slack:C0001'],
        summarizer: { kind: 'extractive' },
      }),
      0,
      process.cwd(),
    ),
    toTopic(
      topicSchema.parse({
        id: 'city-ai',
        title: 'City and AI',
        sources: [{ path: CITY_AI }],
        window: 'all',
        summarizer: { kind: 'extractive' },
      }),
      1,
      process.cwd(),
    ),
  ];
}

export interface Harness {
  readonly slack: FakeSlack;
  readonly store: Store;
  readonly service: BriefService;
  readonly serve: ServeHandle;
  readonly adapter: SlackAdapter;
  readonly eventsUrl: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly dbPath?: string;
  readonly slack?: FakeSlack;
  readonly topics?: Topic[];
  /** Wraps the real service (e.g. to make building slow). */
  readonly wrap?: (service: BriefService) => BriefService;
  /** Where the service builds briefs (e.g. a BuildPool's builder, as `serve` does). */
  readonly builder?: BriefBuilder;
  readonly serve?: Partial<
    Pick<
      ServeOptions,
      'now' | 'afterPost' | 'catchUpWindowMs' | 'tickMs' | 'backoffMs' | 'replicaId' | 'leaseMs' | 'deliveryConcurrency' | 'freshForMs'
    >
  >;
  readonly logger?: Logger;
  /** Environment the service reads (OPENAI_* for the LLM path); none by default. */
  readonly env?: Record<string, string>;
  /** Another store than SQLite at dbPath (e.g. PostgreSQL); closed with the harness. */
  readonly openStore?: () => Promise<Store>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = options.slack ?? (await new FakeSlack().start());
  const store = options.openStore ? await options.openStore() : openSqliteStore(options.dbPath ?? ':memory:');
  const logger = options.logger ?? silentLogger;
  const real = createBriefService({
    topics: options.topics ?? testTopics(),
    env: readEnv(options.env ?? {}),
    store,
    logger,
    ...(options.builder && { builder: options.builder }),
  });
  const service = options.wrap ? options.wrap(real) : real;
  const adapter = new SlackAdapter({
    botToken: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
    logger,
    retries: 0,
  });
  const serve = await startServe({
    service,
    store,
    adapters: [adapter],
    logger,
    port: 0,
    host: '127.0.0.1',
    httpRoutes: [{ path: adapter.endpoint, listener: adapter.requestListener! }],
    // No catch-up unless a test asks: the wall clock may be just past the fixture's 09:00 run.
    catchUpWindowMs: 0,
    ...options.serve,
  });
  return {
    slack,
    store,
    service,
    serve,
    adapter,
    eventsUrl: `http://127.0.0.1:${serve.port}${adapter.endpoint}`,
    async close() {
      await serve.stop();
      await store.close();
      if (!options.slack) await slack.close();
    },
  };
}
