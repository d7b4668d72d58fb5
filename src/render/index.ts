import type { Brief } from '../core/types.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { renderText } from './text.ts';

export type OutputFormat = 'text' | 'markdown' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'markdown', 'json'];

export function renderBrief(brief: Brief, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return renderJson(brief);
    case 'markdown':
      return renderMarkdown(brief);
    case 'text':
      return renderText(brief);
  }
}
