/**
 * The composition root: parses the command line, reads settings once, wires the store, the
 * HTTP client and the brief service, runs one command, and maps errors to exit codes
 * (0 ok, 1 failure, 2 bad usage or config — one line on stderr, no stack trace).
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { loadSettings, resolveSource, type Settings } from '../config/load.ts';
import { SUMMARIZER_DEFAULTS, TOPIC_ID, TOPIC_ID_RULE } from '../config/schema.ts';
import { BriefbotError, isUserError, oneLine, UsageError } from '../core/errors.ts';
import { createLogger, type Logger } from '../core/log.ts';
import type { Topic } from '../core/types.ts';
import { createBriefService } from '../app/brief-service.ts';
import { BuildPool } from '../app/build-pool.ts';
import { inProcessBuilder, spareThreads } from '../app/build.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../render/index.ts';
import type { CliContext } from './context.ts';
import { runAsk, runBrief, runCollect, runTopics } from './commands.ts';
import { runMigrate } from './migrate.ts';
import { openStore } from './store.ts';
import { buildLine, collectLine, ProgressLine } from './progress.ts';

export interface MainIo {
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
}

interface CommonOptions {
  config?: string;
  source?: string[];
  offline?: boolean;
}

const collectSources = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * A local --source must be a file or a folder now: a typo is bad usage (exit 2), and a device
 * or FIFO (/dev/zero, a named pipe) would never finish reading.
 */
function checkLocalPath(given: string, url: string): void {
  if (!url.startsWith('file:')) return;
  let info;
  try {
    info = statSync(fileURLToPath(url), { throwIfNoEntry: false });
  } catch (error) {
    throw new UsageError(`--source ${given}: ${oneLine(error)}`);
  }
  if (info === undefined) throw new UsageError(`--source ${given}: no such file or folder`);
  if (!info.isFile() && !info.isDirectory()) throw new UsageError(`--source ${given}: not a regular file or folder`);
}

/** A topic for this run: the configured one plus `--source`s, or an ad-hoc one made of them. */
function topicWithSources(settings: Settings, id: string, sources: readonly string[], cwd: string): Topic | undefined {
  const configured = settings.topics.find((t) => t.id === id);
  if (sources.length === 0) return configured;
  if (!TOPIC_ID.test(id)) throw new UsageError(`topic name "${id}" must be ${TOPIC_ID_RULE}`);
  const extra = sources.map((s) => {
    let spec;
    try {
      spec = resolveSource(s, cwd);
    } catch (error) {
      throw new UsageError(`--source ${s}: ${oneLine(error)}`);
    }
    checkLocalPath(s, spec.url);
    return spec;
  });
  if (configured) return { ...configured, sources: [...configured.sources, ...extra] };
  return {
    id,
    title: id,
    sources: extra,
    include: [],
    exclude: [],
    // An ad-hoc topic is "these sources": everything they hold, unless --since narrows it.
    window: 'all',
    channels: [],
    summarizer: SUMMARIZER_DEFAULTS,
    adHoc: true,
  };
}

type Io = Required<Omit<MainIo, 'signal'>> & { signal: AbortSignal; dotenv: boolean; stopOnSignals: () => void };

async function withContext<T>(
  io: Io,
  options: CommonOptions,
  defaultLogLevel: string,
  run: (ctx: CliContext, extras: { addTopic: (t: Topic) => void }) => Promise<T>,
  mode: { buildInWorkers?: boolean } = {},
): Promise<T> {
  const settings = loadSettings({
    cwd: io.cwd,
    env: io.env,
    dotenv: io.dotenv,
    ...(options.config !== undefined && { configPath: options.config }),
  });
  const { openai, slack, discord } = settings.env;
  const logger: Logger = createLogger({
    level: settings.env.logLevel ?? defaultLogLevel,
    destination: io.stderr,
    secrets: [openai?.apiKey, slack.botToken, slack.appToken, slack.signingSecret, discord.token],
  });
  // The one place that asks whether stderr is a terminal: progress lines only there.
  const progress = new ProgressLine(io.stderr, (io.stderr as Partial<NodeJS.WriteStream>).isTTY === true);
  const store = await openStore(settings.database, settings.env.replicaId ?? 'briefbot');
  // The HTTP client (and undici under it, some 15 MB) is loaded only by commands that fetch.
  const http = options.offline
    ? undefined
    : new (await import('../collect/http/client.ts')).HttpClient({
        timeoutMs: settings.fetch.timeoutMs,
        maxBytes: settings.fetch.maxBytes,
        maxRedirects: settings.fetch.maxRedirects,
        perHostConcurrency: settings.fetch.perHostConcurrency,
        retries: settings.fetch.retries,
        ...(settings.fetch.userAgent !== undefined && { userAgent: settings.fetch.userAgent }),
        allowHosts: settings.allowHosts,
        logger,
      });
  // serve builds briefs in worker threads, so that no build holds its event loop; a CLI
  // command has nothing else to do meanwhile and builds in this thread, clustering a big
  // window with the other cores' help.
  const pool = mode.buildInWorkers
    ? new BuildPool({
        budgetMs: settings.builds.budgetMs,
        ...(settings.builds.workers !== undefined && { size: settings.builds.workers }),
        cache: store.cache,
        logger,
      })
    : undefined;
  try {
    const service = createBriefService({
      topics: settings.topics,
      env: settings.env,
      store,
      logger,
      ...(http && { http }),
      builder: pool ? pool.builder : inProcessBuilder(store.cache, logger, { clusterHelpers: spareThreads() }),
      onCollectProgress: (p) => progress.update(collectLine(p)),
      onBuildProgress: (p) => progress.update(buildLine(p), p.storiesBuilt === 0),
    });
    const ctx: CliContext = {
      settings,
      store,
      service,
      logger,
      stdout: io.stdout,
      stderr: io.stderr,
      signal: io.signal,
      progress,
      ...(http && { http }),
    };
    return await run(ctx, { addTopic: (t) => service.addTopic(t) });
  } finally {
    progress.clear();
    await pool?.close();
    await http?.close();
    await store.close();
  }
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('briefbot')
    .description('Briefs on the news topics your team watches, with every claim cited.')
    .showHelpAfterError('(run briefbot --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const sourceOption = () =>
    new Option('--source <url|path>', 'add a feed URL, page URL, feed file or folder of articles (repeatable)').argParser(collectSources);

  program
    .command('brief')
    .description('build a brief of a topic and print it')
    .argument('<topic>', 'topic id from the config, or a new name with --source')
    .option('--since <window>', "look-back: 24h, 7d, 2w, all, or an ISO date (default: the topic's window)")
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
    .addOption(sourceOption())
    .option('--config <file>', 'config file (default: ./briefbot.config.yaml or BRIEFBOT_CONFIG)')
    .option('--offline', 'use only stored articles and local paths; fetch nothing')
    .action(async (topicId: string, options: CommonOptions & { since?: string; format: OutputFormat }) => {
      setExit(
        await withContext(io, options, 'warn', (ctx, extras) => {
          const topic = topicWithSources(ctx.settings, topicId, options.source ?? [], io.cwd);
          if (topic) extras.addTopic(topic);
          return runBrief(ctx, topicId, { format: options.format, ...(options.since !== undefined && { since: options.since }) });
        }),
      );
    });

  program
    .command('collect')
    .description('collect new articles for one topic, or for every configured topic')
    .argument('[topic]', 'topic id (default: all topics)')
    .addOption(sourceOption())
    .option('--config <file>', 'config file')
    .option('--offline', 'read local paths only')
    .action(async (topicId: string | undefined, options: CommonOptions) => {
      setExit(
        await withContext(io, options, 'warn', (ctx, extras) => {
          if ((options.source ?? []).length > 0 && topicId === undefined) {
            throw new UsageError('collect --source needs a topic name: briefbot collect <topic> --source …');
          }
          const topic = topicId !== undefined ? topicWithSources(ctx.settings, topicId, options.source ?? [], io.cwd) : undefined;
          if (topic) extras.addTopic(topic);
          return runCollect(ctx, topicId);
        }),
      );
    });

  program
    .command('ask')
    .description("answer a question from the sources of a topic's latest brief")
    .argument('<topic>', 'topic id from the config, a topic briefed before with --source, or a new name with --source')
    .argument('<question>', 'the question, quoted')
    .addOption(sourceOption())
    .option('--config <file>', 'config file')
    .option('--offline', 'do not fetch; answer from stored articles and local paths')
    .action(async (topicId: string, question: string, options: CommonOptions) => {
      setExit(
        await withContext(io, options, 'warn', (ctx, extras) => {
          const topic = topicWithSources(ctx.settings, topicId, options.source ?? [], io.cwd);
          if (topic) extras.addTopic(topic);
          return runAsk(ctx, topicId, question);
        }),
      );
    });

  program
    .command('topics')
    .description('list the configured topics, their sources, schedules and next runs')
    .option('--config <file>', 'config file')
    .action(async (options: CommonOptions) => {
      setExit(await withContext(io, { ...options, offline: true }, 'warn', (ctx) => runTopics(ctx)));
    });

  program
    .command('migrate')
    .description('bring the database schema up to date; with --from, copy another database into it (SQLite → PostgreSQL)')
    .option('--from <path|url>', 'a SQLite file or postgres:// URL to copy everything from (re-runnable; keeps rows already there)')
    .option('--config <file>', 'config file')
    .action(async (options: CommonOptions & { from?: string }) => {
      setExit(
        await withContext(io, { ...options, offline: true }, 'warn', (ctx) =>
          runMigrate(ctx, { cwd: io.cwd, ...(options.from !== undefined && { from: options.from }) }),
        ),
      );
    });

  program
    .command('serve')
    .description('run the bot: scheduled briefs, /brief, and follow-ups in Slack and Discord')
    .option('--config <file>', 'config file')
    .action(async (options: CommonOptions) => {
      io.stopOnSignals();
      // Loaded here, not at the top: Bolt and the web server under it added some 12 MB to every
      // other command, which never talks to a chat.
      const { runServe } = await import('./serve.ts');
      setExit(await withContext(io, options, 'info', (ctx) => runServe(ctx), { buildInWorkers: true }));
    });

  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[], ioIn: MainIo = {}): Promise<number> {
  const controller = new AbortController();
  const io: Io = {
    stdout: ioIn.stdout ?? process.stdout,
    stderr: ioIn.stderr ?? process.stderr,
    env: ioIn.env ?? process.env,
    cwd: ioIn.cwd ?? process.cwd(),
    signal: ioIn.signal ?? controller.signal,
    // The real process (no env injected) reads .env; tests pass their own env.
    dotenv: ioIn.env === undefined,
    // Long-running commands stop gracefully on SIGTERM/SIGINT; a second signal exits at once.
    stopOnSignals: () => {
      if (ioIn.signal !== undefined) return;
      for (const name of ['SIGTERM', 'SIGINT'] as const) {
        process.once(name, () => {
          controller.abort();
          process.once(name, () => process.exit(130));
        });
      }
    },
  };
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    io.stderr.write(`briefbot: ${oneLine(error)}\n`);
    if (isUserError(error)) return 2;
    if (!(error instanceof BriefbotError) && io.env['BRIEFBOT_DEBUG']) io.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
