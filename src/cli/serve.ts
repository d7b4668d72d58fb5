/**
 * `briefbot serve`: picks the chat platforms the environment configures, starts the serving
 * core, and runs until SIGINT/SIGTERM (ctx.signal), then shuts down gracefully.
 */
import type { ChatAdapter } from '../chat/port.ts';
import { SlackAdapter } from '../chat/slack/adapter.ts';
import type { EnvSettings } from '../config/load.ts';
import { ConfigError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Topic } from '../core/types.ts';
import { startServe, type HttpRoute } from './serve-host.ts';
import type { CliContext } from './context.ts';

export const NO_PLATFORM_MESSAGE =
  'serve: no chat platform configured: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, or DISCORD_TOKEN';

/** A platform's adapter factory; Discord registers one here when its adapter exists. */
export type AdapterFactory = (env: EnvSettings, logger: Logger, topics?: () => readonly Topic[]) => Promise<ChatAdapter | undefined>;

/** The Slack adapter when the environment asks for it; ConfigError naming what is missing. */
export function slackFromEnv(env: EnvSettings, logger: Logger): SlackAdapter | undefined {
  const { botToken, appToken, signingSecret, apiUrl } = env.slack;
  if (botToken === undefined && appToken === undefined && signingSecret === undefined) return undefined;
  if (botToken === undefined)
    throw new ConfigError('serve: SLACK_BOT_TOKEN is not set (needed with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN)', 'SLACK_BOT_TOKEN');
  if (!botToken.startsWith('xoxb-')) throw new ConfigError('serve: SLACK_BOT_TOKEN must be a bot token (xoxb-…)', 'SLACK_BOT_TOKEN');
  if (appToken !== undefined && !appToken.startsWith('xapp-'))
    throw new ConfigError('serve: SLACK_APP_TOKEN must be an app-level token (xapp-…)', 'SLACK_APP_TOKEN');
  if (appToken === undefined && signingSecret === undefined) {
    throw new ConfigError(
      'serve: SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode)',
      'SLACK_SIGNING_SECRET',
    );
  }
  return new SlackAdapter({
    botToken,
    logger,
    ...(appToken !== undefined && { appToken }),
    ...(signingSecret !== undefined && { signingSecret }),
    ...(apiUrl !== undefined && { apiUrl }),
  });
}

/** Discord when DISCORD_* is set; loaded lazily so other runs never load discord.js. */
async function discordFactory(env: EnvSettings, logger: Logger, topics?: () => readonly Topic[]): Promise<ChatAdapter | undefined> {
  const { token, applicationId, guildId } = env.discord;
  if (token === undefined && applicationId === undefined && guildId === undefined) return undefined;
  const { discordFromEnv } = await import('./discord-env.ts');
  return discordFromEnv(env, logger, topics ?? (() => []));
}

/** Extra platforms (Discord) plug in here without this file importing their SDK. */
export const adapterFactories: AdapterFactory[] = [discordFactory];

export async function runServe(ctx: CliContext, factories: readonly AdapterFactory[] = adapterFactories): Promise<number> {
  const { settings, logger } = ctx;
  const adapters: ChatAdapter[] = [];
  const routes: HttpRoute[] = [];
  const slack = slackFromEnv(settings.env, logger);
  if (slack) {
    adapters.push(slack);
    if (slack.requestListener) routes.push({ path: slack.endpoint, listener: slack.requestListener });
  }
  for (const factory of factories) {
    const adapter = await factory(settings.env, logger, () => ctx.service.topics());
    if (adapter) adapters.push(adapter);
  }
  if (adapters.length === 0) throw new ConfigError(NO_PLATFORM_MESSAGE, 'SLACK_BOT_TOKEN');
  const { replicaId, leaseSeconds, deliveryConcurrency } = settings.env;
  const handle = await startServe({
    service: ctx.service,
    store: ctx.store,
    adapters,
    logger,
    port: settings.env.port,
    httpRoutes: routes,
    ...(replicaId !== undefined && { replicaId }),
    ...(leaseSeconds !== undefined && { leaseMs: leaseSeconds * 1000 }),
    ...(deliveryConcurrency !== undefined && { deliveryConcurrency }),
  });
  ctx.stderr.write(`briefbot serve: listening on port ${handle.port} (${adapters.map((a) => a.platform).join(', ')})\n`);
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  logger.info('shutting down');
  await handle.stop();
  return 0;
}
