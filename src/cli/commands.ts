/**
 * The CLI commands other than serve: thin shells over the brief service and collect.
 */
import { parseSince } from '../core/window.ts';
import { UsageError } from '../core/errors.ts';
import { maskUrl, maskUrlsIn } from '../core/redact.ts';
import type { Topic } from '../core/types.ts';
import { renderBrief, type OutputFormat } from '../render/index.ts';
import { emptyBriefLine } from '../render/view.ts';
import { nextRun } from '../schedule/cron.ts';
import { collectTopics, type CollectReport, type SourceReport } from '../collect/index.ts';
import type { CliContext } from './context.ts';
import { collectLine } from './progress.ts';

function sourceName(report: SourceReport): string {
  if (report.source.title) return report.source.title;
  const url = report.source.url;
  if (url.startsWith('file:')) {
    const path = decodeURIComponent(new URL(url).pathname);
    const cwd = process.cwd();
    return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
  }
  return maskUrl(url);
}

/** One line per source: what was found, or why it failed. */
export function formatCollectReport(report: CollectReport): string {
  const lines: string[] = [];
  for (const r of report.sources) {
    const name = sourceName(r);
    const unchanged = r.unchangedFiles > 0 ? `, ${r.unchangedFiles} unchanged file${r.unchangedFiles === 1 ? '' : 's'} skipped` : '';
    const counts = `${r.new} new, ${r.duplicate} duplicate, ${r.known} already stored${r.filtered > 0 ? `, ${r.filtered} off-topic` : ''}${unchanged}`;
    switch (r.status) {
      case 'ok':
        lines.push(`ok        ${name}: ${counts}`);
        break;
      case 'unchanged':
        lines.push(`unchanged ${name}: not modified since last collect`);
        break;
      case 'skipped':
        lines.push(`skipped   ${name}: ${r.error ?? 'skipped'}`);
        break;
      case 'failed':
        lines.push(`FAILED    ${name}: ${r.error ?? 'failed'}`);
        break;
    }
    for (const warning of r.warnings.slice(0, 5)) lines.push(`          warning: ${warning}`);
    if (r.warnings.length > 5) lines.push(`          … and ${r.warnings.length - 5} more warnings`);
  }
  const totals = report.sources.reduce((t, r) => ({ new: t.new + r.new, dup: t.dup + r.duplicate }), { new: 0, dup: 0 });
  lines.push(
    `${report.sources.length} source${report.sources.length === 1 ? '' : 's'}: ${totals.new} new articles, ${totals.dup} duplicates, ${report.failed} failed`,
  );
  return `${lines.join('\n')}\n`;
}

export async function runCollect(ctx: CliContext, topicId: string | undefined): Promise<number> {
  const topics: Topic[] = topicId === undefined ? [...ctx.service.topics()] : [ctx.service.topic(topicId)];
  if (topics.length === 0) throw new UsageError('no topics configured; add one to briefbot.config.yaml or use --source');
  const report = await collectTopics(topics, {
    store: ctx.store,
    logger: ctx.logger,
    ...(ctx.http && { http: ctx.http }),
    onProgress: (p) => ctx.progress.update(collectLine(p), p.source !== undefined),
  });
  ctx.progress.clear();
  ctx.stdout.write(formatCollectReport(report));
  return report.failed > 0 ? 1 : 0;
}

export async function runBrief(ctx: CliContext, topicId: string, options: { format: OutputFormat; since?: string }): Promise<number> {
  if (options.since !== undefined) parseSince(options.since, new Date());
  const stored = await ctx.service.brief(topicId, { ...(options.since !== undefined && { window: options.since }) });
  ctx.progress.clear();
  for (const health of stored.brief.failingSources ?? []) {
    ctx.stderr.write(`warning: source failing: ${maskUrl(health.url)}: ${maskUrlsIn(health.lastError ?? 'error')}\n`);
  }
  if (stored.brief.stories.length === 0) ctx.stderr.write(`${emptyBriefLine(stored.brief)}\n`);
  ctx.stdout.write(renderBrief(stored.brief, options.format));
  return 0;
}

/**
 * Answers from the sources of a topic's latest brief: a configured topic (or one given
 * --source) reuses its latest brief or builds one; any other topic that has a stored brief —
 * an ad-hoc one briefed earlier with --source — answers from that.
 */
export async function runAsk(ctx: CliContext, topicId: string, question: string): Promise<number> {
  if (question.trim() === '') throw new UsageError('ask: the question is empty');
  const known = ctx.service.topics().some((t) => t.id === topicId);
  const stored = known ? await ctx.service.brief(topicId, { maxAgeMs: Number.POSITIVE_INFINITY }) : await ctx.store.briefs.latest(topicId);
  if (!stored) {
    const topics = ctx.service.topics().map((t) => t.id);
    throw new UsageError(
      `ask: no brief of "${topicId}" yet; brief it first (briefbot brief ${topicId} --source …) or give ask its --source${topics.length > 0 ? ` (topics: ${topics.join(', ')})` : ''}`,
    );
  }
  const answer = await ctx.service.answer(stored.id, question);
  ctx.stdout.write(`${answer.text}\n`);
  if (answer.sources.length > 0) {
    ctx.stdout.write('\nSources\n');
    answer.sources.forEach((s, i) => ctx.stdout.write(`[${i + 1}] ${s.title}\n    ${s.url}\n`));
  }
  return 0;
}

export async function runTopics(ctx: CliContext): Promise<number> {
  const topics = ctx.service.topics();
  if (topics.length === 0) {
    ctx.stdout.write('No topics configured. Add one to briefbot.config.yaml (see README).\n');
    return 0;
  }
  const now = new Date();
  const chat = ctx.store.chat;
  for (const topic of topics) {
    ctx.stdout.write(`${topic.id} — ${topic.title}\n`);
    ctx.stdout.write(`  window: ${topic.window}; sources: ${topic.sources.length}; summarizer: ${topic.summarizer.kind}\n`);
    if (topic.schedule) {
      const next = nextRun(topic.schedule, now);
      ctx.stdout.write(
        `  schedule: ${topic.schedule.cron} (${topic.schedule.timezone}); next run: ${next ? next.toISOString() : 'none'}\n`,
      );
      const last = await chat.lastRun(topic.id);
      ctx.stdout.write(
        `  last run: ${
          last ? `${last.scheduledFor}${last.error ? ` (failed: ${last.error})` : last.finishedAt ? ' (done)' : ' (in progress)'}` : 'never'
        }\n`,
      );
    } else {
      ctx.stdout.write('  schedule: none (on demand only)\n');
    }
    const followers = await chat.followers(topic.id);
    const channels = [...new Set([...topic.channels, ...followers])];
    if (channels.length > 0) ctx.stdout.write(`  channels: ${channels.join(', ')}\n`);
    const health = await ctx.store.sources.health(topic.sources.map((s) => s.id));
    const byId = new Map(health.map((h) => [h.sourceId, h]));
    for (const source of topic.sources) {
      const h = byId.get(source.id);
      const state = !h
        ? 'never collected'
        : h.failureStreak > 0
          ? `failing ×${h.failureStreak} since ${h.failingSince ?? '?'}: ${maskUrlsIn(h.lastError ?? '')}`
          : `ok, last success ${h.lastSuccessAt ?? '?'}`;
      ctx.stdout.write(`  - ${source.title ?? maskUrl(source.url)} (${state})\n`);
    }
  }
  return 0;
}
