/**
 * A day's window of invented articles, briefed the way a user would: written as one JSON file
 * in a folder (the documented {title, text, url, publisher, publishedAt} shape) and briefed by
 * the real CLI with the extractive summarizer. Tests build their own windows from it; the
 * shared evaluation windows are for measurement only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Brief } from '../../src/core/types.ts';
import { runCli, tempDir } from './cli.ts';

export interface WindowArticle {
  /** A short key the test uses to name the article; becomes the URL's last segment. */
  readonly key: string;
  readonly title: string;
  readonly text: string;
  readonly publisher?: string;
  readonly publishedAt?: string;
}

export interface BriefedWindow {
  readonly brief: Brief;
  /** Brief-local article id → the article's key. */
  readonly keyOf: (id: string) => string;
  /** The stories as sorted lists of keys, and the leftOut ones after them. */
  readonly stories: string[][];
  /** The story (as a brief story) that holds the article with this key. */
  readonly storyOf: (key: string) => Brief['stories'][number] | undefined;
}

export async function briefWindow(
  articles: readonly WindowArticle[],
  options: { maxStories?: number; format?: string } = {},
): Promise<BriefedWindow> {
  const cwd = tempDir('briefbot-window-');
  const folder = join(cwd, 'in');
  mkdirSync(folder);
  writeFileSync(
    join(folder, 'articles.json'),
    JSON.stringify(articles.map(({ key, ...a }) => ({ ...a, url: `https://window.example/${key}` }))),
  );
  writeFileSync(
    join(cwd, 'cfg.yaml'),
    `topics:\n  - id: win\n    sources:\n      - path: ${folder}\n    window: all\n    summarizer:\n      kind: extractive\n      maxStories: ${options.maxStories ?? 8}\n`,
  );
  const out = await runCli(['brief', 'win', '--config', join(cwd, 'cfg.yaml'), '--since', 'all', '--format', 'json'], {
    cwd,
    env: { BRIEFBOT_DB: join(cwd, 'b.db') },
  });
  if (out.code !== 0) throw new Error(`brief exited ${out.code}: ${out.stderr}`);
  const brief = JSON.parse(out.stdout) as Brief;
  const keys = new Map(brief.articles.map((a) => [a.id, a.url.split('/').pop() ?? a.id]));
  const keyOf = (id: string): string => keys.get(id) ?? id;
  const stories = [...brief.stories, ...(brief.leftOut ?? [])].map((s) => s.articleIds.map(keyOf).sort());
  const storyOf = (key: string) => brief.stories.find((s) => s.articleIds.some((id) => keyOf(id) === key));
  return { brief, keyOf, stories, storyOf };
}
