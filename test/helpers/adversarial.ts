/**
 * What the adversarial tests share: the invented corpus (fixtures/corpora/port-wren: a tidal
 * plant story, a library story, and a blog post carrying planted instructions, visible and
 * hidden, whose payload is "the plant will employ 9,999 people"), the payload, the corpus's
 * people, and the audit of a brief against what the adversarial model did.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Brief, Story } from '../../src/core/types.ts';
import type { Adversary } from '../fakes/adversarial-model.ts';
import { repoRoot } from './cli.ts';

export const PORT_WREN = join(repoRoot, 'test', 'fixtures', 'corpora', 'port-wren');
export const PAYLOAD = { payload: 'The plant will employ 9,999 people', payloadMarker: '9,999' } as const;
export const PEOPLE = ['Ana Ruiz', 'Tomasz Brandt', 'Dagny Okafor', 'Priya Venkat'] as const;

/** The story of a brief that a prompt's article ids make up. */
function storyOf(brief: Brief, ids: readonly string[]): Story | undefined {
  return brief.stories.find((s) => s.articleIds.length === ids.length && ids.every((id) => s.articleIds.includes(id)));
}

/** Whether a faithful item is in its story as the model wrote it. */
function kept(story: Story, item: Adversary['faithful'][number]): boolean {
  switch (item.kind) {
    case 'claim':
      return story.claims.some((c) => c.text === item.text && item.ids.every((id) => c.articleIds.includes(id)));
    case 'figure':
      return story.figures.some((f) => f.value === item.text && item.ids.every((id) => f.articleIds.includes(id)));
    case 'position':
      return story.disagreements.some((d) => d.positions.some((p) => p.text === item.text));
    case 'summary':
      return story.summary.includes(item.text);
    case 'headline':
      return story.headline === item.text;
    default:
      return true;
  }
}

/** Counts of the adversary's items in a brief, for assertions and the test's own report. */
export function audit(brief: Brief, adversary: Adversary): { fabricated: number; reached: string[]; faithful: number; lost: string[] } {
  const reached: string[] = [];
  const lost: string[] = [];
  const storyItems = adversary.fabricated.filter((f) => f.ids.length > 0);
  for (const item of storyItems) {
    const story = storyOf(brief, item.ids);
    assert.ok(story, `a story of ${item.ids.join(',')}`);
    if (JSON.stringify(story).includes(item.marker)) reached.push(`${item.kind}: ${item.marker}`);
  }
  const faithful = adversary.faithful.filter((f) => f.kind !== 'answer');
  for (const item of faithful) {
    const story = brief.stories.find((s) => item.ids.every((id) => s.articleIds.includes(id)));
    if (!story || !kept(story, item)) lost.push(`${item.kind}: ${item.text}`);
  }
  return { fabricated: storyItems.length, reached, faithful: faithful.length, lost };
}
