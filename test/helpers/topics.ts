/** A topic whose one source is a local folder or file, as configured topics are after loading. */
import { pathToFileURL } from 'node:url';
import type { Topic } from '../../src/core/types.ts';

export function folderTopic(dir: string, id: string): Topic {
  const url = pathToFileURL(dir).href;
  return {
    id,
    title: id,
    sources: [{ id: url, url, kind: 'auto' }],
    include: [],
    exclude: [],
    window: 'all',
    channels: [],
    summarizer: { kind: 'extractive', maxStories: 8 },
  };
}
