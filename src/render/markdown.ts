/**
 * Markdown rendering (for files, wikis, chat platforms that take Markdown). Article text is
 * escaped so that it cannot add links, images, HTML or headings of its own.
 */
import type { Brief } from '../core/types.ts';
import { citeMarks, emptyBriefLine, failingSourcesLine, formatWindow, leftOutLine, sourceLabel, viewOf } from './view.ts';

/** Escapes Markdown and HTML metacharacters in untrusted text. */
export function escapeMarkdown(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are what is removed
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/([\\`*_[\]|~>])/g, '\\$1')
      // A leading "#", "-", "+" or "1." would start a heading or a list item.
      .replace(/^([#+-]|\d+\.)/, '\\$1')
      .replace(/@/g, '@\u200b')
  );
}

/** A URL as a Markdown link target: only http(s) and file URLs, with parentheses encoded. */
function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:', 'file:'].includes(parsed.protocol)) return undefined;
    return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
  } catch {
    return undefined;
  }
}

export function renderMarkdown(brief: Brief): string {
  const view = viewOf(brief);
  const out: string[] = [];
  out.push(`# Brief: ${escapeMarkdown(brief.topic)}`);
  out.push('');
  out.push(
    `_${formatWindow(brief)} · ${brief.articles.length} articles · ${brief.stories.length} stories · ${escapeMarkdown(brief.summarizer)}_`,
  );
  if (brief.stories.length === 0) out.push('', escapeMarkdown(emptyBriefLine(brief)));
  brief.stories.forEach((story, i) => {
    out.push('', `## ${i + 1}. ${escapeMarkdown(story.headline)} ${citeMarks(view, story.articleIds)}`);
    if (story.summary) out.push('', escapeMarkdown(story.summary));
    if (story.claims.length > 0) {
      out.push('', '**Key claims**', '');
      for (const c of story.claims) out.push(`- ${escapeMarkdown(c.text)} ${citeMarks(view, c.articleIds)}`);
    }
    if (story.figures.length > 0) {
      out.push('', '**Figures**', '');
      for (const f of story.figures) {
        out.push(`- **${escapeMarkdown(f.value)}**: ${escapeMarkdown(f.text)} ${citeMarks(view, f.articleIds)}`);
      }
    }
    if (story.disagreements.length > 0) {
      out.push('', '**Where sources differ**', '');
      for (const d of story.disagreements) {
        out.push(`- ${escapeMarkdown(d.about)}`);
        for (const p of d.positions) out.push(`  - ${escapeMarkdown(p.text)} ${citeMarks(view, p.articleIds)}`);
      }
    }
  });
  const more = leftOutLine(brief);
  if (more !== undefined) out.push('', `_${escapeMarkdown(more)}_`);
  if (view.sources.length > 0) {
    out.push('', '## Sources', '');
    for (const { n, article } of view.sources) {
      const url = safeUrl(article.url);
      const title = escapeMarkdown(article.title);
      const label = escapeMarkdown(sourceLabel(article));
      const date = article.publishedAt ? `, ${article.publishedAt.slice(0, 10)}` : '';
      out.push(`${n}. ${url ? `[${title}](${url})` : title} (${label}${date})`);
    }
  }
  const notes = [...(brief.notes ?? []), ...[failingSourcesLine(brief)].filter((x): x is string => x !== undefined)];
  if (notes.length > 0) {
    out.push('', '## Notes', '');
    for (const note of notes) out.push(`- ${escapeMarkdown(note)}`);
  }
  return `${out.join('\n')}\n`;
}
