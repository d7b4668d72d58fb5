/**
 * Reads the environment and the config file, once, into typed settings. This is the only
 * module that reads process.env or the config file; everything else gets values passed in.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import type { SourceKind, SourceSpec, TextMatcher, Topic } from '../core/types.ts';
import { configSchema, type BuildSettings, type ConfigFile, type FetchSettings, type TopicEntry } from './schema.ts';
import { checkSchedule } from './schedule.ts';

/** Environment variables Briefbot reads (see .env.example). */
export interface EnvSettings {
  readonly configPath?: string;
  readonly databasePath?: string;
  readonly allowHosts: readonly string[];
  /** LOG_LEVEL when set; each command picks its own default (CLI: warn, serve: info). */
  readonly logLevel?: string;
  readonly openai?: { readonly apiKey: string; readonly baseURL?: string; readonly model: string };
  readonly slack: {
    readonly botToken?: string;
    readonly appToken?: string;
    readonly signingSecret?: string;
    readonly apiUrl?: string;
  };
  readonly discord: {
    readonly token?: string;
    readonly applicationId?: string;
    readonly guildId?: string;
    readonly apiUrl?: string;
    /** DISCORD_MESSAGE_CONTENT=true: ask for the privileged MessageContent intent. */
    readonly messageContent?: boolean;
  };
  readonly port: number;
  /** BRIEFBOT_REPLICA_ID: this replica's id among several on one database (default host:pid). */
  readonly replicaId?: string;
  /** BRIEFBOT_LEASE_SECONDS: how long claims, runs and the gateway are held without renewal. */
  readonly leaseSeconds?: number;
  /** BRIEFBOT_DELIVERY_CONCURRENCY: deliveries one replica holds at once. */
  readonly deliveryConcurrency?: number;
}

/** Where the data lives: a SQLite file (the default) or a PostgreSQL server. */
export type DatabaseSetting = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

export interface Settings {
  readonly env: EnvSettings;
  /** Absolute path of the config file read, if any. */
  readonly configPath?: string;
  /** The SQLite path, or the PostgreSQL URL (see `database`). */
  readonly databasePath: string;
  readonly database: DatabaseSetting;
  /** Hosts allowed to be private/loopback, from env and config together. */
  readonly allowHosts: readonly string[];
  readonly fetch: FetchSettings;
  /** Brief builds in `serve` (worker threads, time budget). */
  readonly builds: BuildSettings;
  readonly topics: readonly Topic[];
}

export const DEFAULT_MODEL = 'gpt-4o-mini';
const CONFIG_NAMES = ['briefbot.config.yaml', 'briefbot.config.yml', 'briefbot.config.json'];

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function defined<T extends object>(obj: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as never;
}

/** "true"/"1"/"yes" or "false"/"0"/"no"; undefined when unset; ConfigError otherwise. */
function booleanFlag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = nonEmpty(env[name])?.toLowerCase();
  if (value === undefined) return undefined;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${name}: "${value}" is not true or false`, name);
}

/** A whole number in [min, max] from the environment; undefined when unset. */
function intVar(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = nonEmpty(env[name]);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(`${name}: "${text}" must be a whole number from ${min} to ${max}`, name);
  return value;
}

/** postgres:// or postgresql:// — anything else is a SQLite path. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** Parses the environment. Throws ConfigError naming the variable on a bad value. */
export function readEnv(env: NodeJS.ProcessEnv): EnvSettings {
  const portText = nonEmpty(env['PORT']) ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT: "${portText}" is not a port number`, 'PORT');
  }
  for (const name of ['OPENAI_BASE_URL', 'SLACK_API_URL', 'DISCORD_API_URL']) {
    const value = nonEmpty(env[name]);
    if (value !== undefined && !/^https?:\/\/[^\s]+$/.test(value)) {
      throw new ConfigError(`${name}: "${value}" is not an http(s) URL`, name);
    }
  }
  const apiKey = nonEmpty(env['OPENAI_API_KEY']);
  const baseURL = nonEmpty(env['OPENAI_BASE_URL']);
  return {
    ...defined({
      configPath: nonEmpty(env['BRIEFBOT_CONFIG']),
      databasePath: nonEmpty(env['BRIEFBOT_DB']),
      logLevel: nonEmpty(env['LOG_LEVEL']),
    }),
    allowHosts: (nonEmpty(env['BRIEFBOT_ALLOW_HOSTS']) ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    ...(apiKey !== undefined && {
      openai: {
        apiKey,
        model: nonEmpty(env['OPENAI_MODEL']) ?? DEFAULT_MODEL,
        ...(baseURL !== undefined && { baseURL }),
      },
    }),
    slack: defined({
      botToken: nonEmpty(env['SLACK_BOT_TOKEN']),
      appToken: nonEmpty(env['SLACK_APP_TOKEN']),
      signingSecret: nonEmpty(env['SLACK_SIGNING_SECRET']),
      apiUrl: nonEmpty(env['SLACK_API_URL']),
    }),
    discord: defined({
      token: nonEmpty(env['DISCORD_TOKEN']),
      applicationId: nonEmpty(env['DISCORD_APPLICATION_ID']),
      guildId: nonEmpty(env['DISCORD_GUILD_ID']),
      apiUrl: nonEmpty(env['DISCORD_API_URL']),
      messageContent: booleanFlag(env, 'DISCORD_MESSAGE_CONTENT'),
    }),
    port,
    ...defined({
      replicaId: nonEmpty(env['BRIEFBOT_REPLICA_ID']),
      leaseSeconds: intVar(env, 'BRIEFBOT_LEASE_SECONDS', 1, 3600),
      deliveryConcurrency: intVar(env, 'BRIEFBOT_DELIVERY_CONCURRENCY', 1, 1000),
    }),
  };
}

/** Finds the config file: explicit path, BRIEFBOT_CONFIG, or a default name in `cwd`. */
export function findConfigFile(explicit: string | undefined, env: EnvSettings, cwd: string): string | undefined {
  const given = explicit ?? env.configPath;
  if (given !== undefined) {
    const path = resolve(cwd, given);
    if (!existsSync(path)) throw new ConfigError(`config file not found: ${path}`, explicit ? '--config' : 'BRIEFBOT_CONFIG');
    return path;
  }
  for (const name of CONFIG_NAMES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Dotted key of a zod issue path: topics[0].schedule.cron */
function keyOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (key, part) => (typeof part === 'number' ? `${key}[${part}]` : key === '' ? String(part) : `${key}.${String(part)}`),
    '',
  );
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

/** Parses and validates config text; errors name the file and the key at fault. */
export function parseConfigText(text: string, file: string): ConfigFile {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new ConfigError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${reason}`);
  }
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = keyOf(issue.path);
    throw new ConfigError(`${file}: ${key === '' ? '(top level)' : key}: ${describeIssue(issue)}`, key);
  }
  const ids = new Set<string>();
  result.data.topics.forEach((topic, i) => {
    if (ids.has(topic.id)) throw new ConfigError(`${file}: topics[${i}].id: duplicate topic id "${topic.id}"`, `topics[${i}].id`);
    ids.add(topic.id);
  });
  return result.data;
}

/** A term matches as a case-insensitive whole word; `/regex/flags` as a regular expression. */
export function compileMatcher(source: string, key: string): TextMatcher {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(source);
  let pattern: RegExp;
  try {
    pattern = regex
      ? new RegExp(regex[1]!, regex[2]!.replace('g', ''))
      : new RegExp(`(?<![\\p{L}\\p{N}])${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu');
  } catch (error) {
    throw new ConfigError(`${key}: invalid regular expression ${source}: ${(error as Error).message}`, key);
  }
  return { source, test: (text) => pattern.test(text) };
}

/** A source as written in the config or on the command line, resolved to a SourceSpec. */
export function resolveSource(
  entry: string | { url?: string | undefined; path?: string | undefined; kind?: SourceKind; title?: string | undefined },
  baseDir: string,
): SourceSpec {
  const spec =
    typeof entry === 'string'
      ? { value: entry, kind: 'auto' as SourceKind }
      : {
          value: entry.url ?? entry.path ?? '',
          kind: entry.kind ?? 'auto',
          title: entry.title,
        };
  const value = spec.value;
  let url: string;
  if (/^https?:\/\//i.test(value)) url = new URL(value).href;
  else if (/^file:\/\//i.test(value)) url = new URL(value).href;
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new ConfigError(`unsupported source scheme: ${value}`);
  else url = pathToFileURL(isAbsolute(value) ? value : resolve(baseDir, value)).href;
  return {
    id: url,
    url,
    kind: spec.kind,
    ...('title' in spec && spec.title !== undefined && { title: spec.title }),
  };
}

export function toTopic(entry: TopicEntry, index: number, baseDir: string): Topic {
  const at = `topics[${index}]`;
  if (entry.schedule) checkSchedule(entry.schedule, `${at}.schedule`);
  return {
    id: entry.id,
    title: entry.title ?? entry.id,
    sources: entry.sources.map((s, i) => {
      try {
        return resolveSource(s, baseDir);
      } catch (error) {
        throw new ConfigError(`${at}.sources[${i}]: ${(error as Error).message}`, `${at}.sources[${i}]`);
      }
    }),
    include: entry.include.map((t, i) => compileMatcher(t, `${at}.include[${i}]`)),
    exclude: entry.exclude.map((t, i) => compileMatcher(t, `${at}.exclude[${i}]`)),
    window: entry.window,
    ...(entry.schedule && { schedule: { cron: entry.schedule.cron, timezone: entry.schedule.timezone } }),
    channels: entry.channels,
    summarizer: {
      kind: entry.summarizer.kind,
      maxStories: entry.summarizer.maxStories,
      ...(entry.summarizer.model !== undefined && { model: entry.summarizer.model }),
      ...(entry.summarizer.maxTokensPerBrief !== undefined && { maxTokensPerBrief: entry.summarizer.maxTokensPerBrief }),
      ...(entry.summarizer.stream !== undefined && { stream: entry.summarizer.stream }),
    },
  };
}

export interface LoadOptions {
  readonly configPath?: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Read `.env` in cwd first; variables already in the environment win. */
  readonly dotenv?: boolean;
}

/** `.env` in `dir`, parsed (not applied to process.env); {} when absent. */
function readDotenv(dir: string): Record<string, string> {
  const path = resolve(dir, '.env');
  if (!existsSync(path)) return {};
  try {
    return parseDotenv(readFileSync(path));
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`, '.env');
  }
}

/** BRIEFBOT_DB, else the config file's `database`, else ./data/briefbot.db; a postgres:// URL means PostgreSQL. */
function databaseSetting(fromEnv: string | undefined, fromConfig: string | undefined, baseDir: string, cwd: string): DatabaseSetting {
  const given = fromEnv ?? fromConfig;
  if (given !== undefined && isPostgresUrl(given)) {
    try {
      new URL(given);
    } catch {
      throw new ConfigError(
        `${fromEnv !== undefined ? 'BRIEFBOT_DB' : 'database'}: not a valid postgres:// URL`,
        fromEnv !== undefined ? 'BRIEFBOT_DB' : 'database',
      );
    }
    return { kind: 'postgres', url: given };
  }
  const path = fromEnv ?? (fromConfig !== undefined ? resolve(baseDir, fromConfig) : resolve(cwd, 'data', 'briefbot.db'));
  return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(cwd, path) };
}

/** Reads env + config file into Settings. Throws ConfigError (exit 2) on anything wrong. */
export function loadSettings(options: LoadOptions = {}): Settings {
  const cwd = options.cwd ?? process.cwd();
  const env = readEnv({ ...(options.dotenv === true ? readDotenv(cwd) : {}), ...(options.env ?? process.env) });
  const file = findConfigFile(options.configPath, env, cwd);
  let config: ConfigFile = configSchema.parse({});
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
    }
    config = parseConfigText(text, file);
  }
  const baseDir = file !== undefined ? dirname(file) : cwd;
  const topics = config.topics.map((entry, i) => {
    try {
      return toTopic(entry, i, baseDir);
    } catch (error) {
      if (error instanceof ConfigError && file !== undefined) throw new ConfigError(`${file}: ${error.message}`, error.key);
      throw error;
    }
  });
  const database = databaseSetting(env.databasePath, config.database, baseDir, cwd);
  return {
    env,
    ...(file !== undefined && { configPath: file }),
    databasePath: database.kind === 'sqlite' ? database.path : database.url,
    database,
    allowHosts: [...env.allowHosts, ...config.allowHosts],
    fetch: config.fetch,
    builds: config.builds,
    topics,
  };
}
