/**
 * Terminal rendering: readable in 80 columns, citations as [n], a numbered sources list.
 */
import type { Brief } from '../core/types.ts';
import { citeMarks, emptyBriefLine, failingSourcesLine, formatWindow, leftOutLine, sourceLabel, viewOf } from './view.ts';

// eslint-disable-next-line no-control-regex -- control characters are what is removed
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Control characters (other than newline) never reach the terminal: no escape sequences. */
function clean(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** Display width: CJK and full-width characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** Word-wraps `text` to `columns`, prefixing the first line and indenting the rest. */
export function wrap(text: string, columns: number, first = '', rest = ' '.repeat(first.length)): string {
  const words = clean(text).split(' ');
  const lines: string[] = [];
  let line = first;
  let lineHasWord = false;
  for (const word of words) {
    if (word === '') continue;
    const candidate = lineHasWord ? `${line} ${word}` : `${line}${word}`;
    if (lineHasWord && width(candidate) > columns) {
      lines.push(line);
      line = `${rest}${word}`;
    } else {
      line = candidate;
    }
    lineHasWord = true;
  }
  lines.push(line);
  return lines.join('\n');
}

export function renderText(brief: Brief, options: { columns?: number } = {}): string {
  const columns = options.columns ?? 80;
  const view = viewOf(brief);
  const out: string[] = [];
  out.push(`Brief: ${clean(brief.topic)}`);
  out.push(
    wrap(
      `${formatWindow(brief)} · ${brief.articles.length} article${
        brief.articles.length === 1 ? '' : 's'
      } · ${brief.stories.length} stor${brief.stories.length === 1 ? 'y' : 'ies'} · ${brief.summarizer}`,
      columns,
    ),
  );
  out.push('='.repeat(Math.min(columns, 40)));
  if (brief.stories.length === 0) {
    out.push('', emptyBriefLine(brief));
  }
  brief.stories.forEach((story, i) => {
    out.push('');
    out.push(wrap(`${clean(story.headline)} ${citeMarks(view, story.articleIds)}`, columns, `${i + 1}. `));
    if (story.summary) out.push(wrap(story.summary, columns, '   '));
    if (story.claims.length > 0) {
      out.push('   Key claims');
      for (const claim of story.claims) out.push(wrap(`${claim.text} ${citeMarks(view, claim.articleIds)}`, columns, '   - ', '     '));
    }
    if (story.figures.length > 0) {
      out.push('   Figures');
      for (const figure of story.figures) {
        out.push(wrap(`${figure.value}: ${figure.text} ${citeMarks(view, figure.articleIds)}`, columns, '   - ', '     '));
      }
    }
    if (story.disagreements.length > 0) {
      out.push('   Where sources differ');
      for (const d of story.disagreements) {
        out.push(wrap(d.about, columns, '   - ', '     '));
        for (const p of d.positions) out.push(wrap(`${p.text} ${citeMarks(view, p.articleIds)}`, columns, '     · ', '       '));
      }
    }
  });
  const more = leftOutLine(brief);
  if (more !== undefined) out.push('', wrap(more, columns));
  if (view.sources.length > 0) {
    out.push('', 'Sources');
    for (const { n, article } of view.sources) {
      const date = article.publishedAt ? `, ${article.publishedAt.slice(0, 10)}` : '';
      out.push(wrap(`${clean(article.title)} (${clean(sourceLabel(article))}${date})`, columns, `[${n}] `));
      out.push(`${' '.repeat(`[${n}] `.length)}${clean(article.url)}`);
    }
  }
  const notes = [...(brief.notes ?? []), ...[failingSourcesLine(brief)].filter((x): x is string => x !== undefined)];
  if (notes.length > 0) {
    out.push('', 'Notes');
    for (const note of notes) out.push(wrap(note, columns, '- ', '  '));
  }
  return `${out.join('\n')}\n`;
}
