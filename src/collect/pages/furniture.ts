/**
 * Page furniture: the navigation, subscribe boxes, cookie notices, comment footers, photo
 * credits, metadata lines and repeated headlines that pages wrap around an article
 * (docs/contracts.md, promise 2). Works on plain text, so every extractor (HTML, feed content, local
 * text and Markdown files) ends here.
 *
 * The rules are deliberately narrow: a line is furniture when it is short and is *only*
 * furniture. Sentences that merely mention a photo, a source or a newsletter are content.
 */

import { withoutHeadline, words } from './headline.ts';

/** Leading icons and arrows that pages put before furniture ("💬 Comments (0)", "🔒 Log in…"). */
// The emoji joiner and variation selector are stripped one by one, not read as a sequence.
// eslint-disable-next-line no-misleading-character-class
const LEADING_SYMBOLS = /^[\s\p{Extended_Pictographic}\uFE0F\u200D←→«»‹›<>▶►▸•·|│\-–—*#]+/u;

/** Whole-line patterns; tested against a trimmed line with leading icons removed. */
const FURNITURE_LINES: readonly RegExp[] = [
  // Navigation.
  /^back to (stories|news|top|home|articles|the article|homepage|all\b.*|search results)\b.{0,120}$/i,
  /^(view|see|read) (the )?original (source|article|story|post)\b.{0,20}$/i,
  /^(read|see|view|load|show) more( (stories|articles|news|posts|videos|(about|from|on|in) .{1,50}))?[\s.:…]*$/i,
  /^(continue reading|keep reading|read the full (story|article)|full story)\b.{0,60}$/i,
  /^(share|share this|share this (article|story|post)|share (on|via) .{1,40}|tweet|email|print)$/i,
  /^(next|previous|prev)( (article|story|post|page)\b.{0,100}|\s*[:›»→>]?)$/i,
  /^(related|more|recommended|popular|trending|latest) (stories|articles|news|reading|posts|from .{1,40})$/i,
  /^(you (may|might) also like|most read|editor'?s picks|top stories|advertisement|sponsored|ad)$/i,
  /^(home|menu|search|skip to (main )?content|log ?in|sign ?in|sign ?up|register|close|toggle navigation)$/i,
  // Subscribe and newsletter boxes.
  /^(subscribe|sign up|signup|get our|get the|join our)\b.{0,80}\b(newsletter|updates|inbox|briefing|mailing list|alerts)\b.{0,60}$/i,
  /^(subscribe( now| today| for free)?|newsletter|get our newsletter)[.!]?$/i,
  /^(enter your email|your email address|we respect your privacy)\b.{0,100}$/i,
  /^(already a subscriber|subscribers? only|become a (member|subscriber))\b.{0,80}$/i,
  // Comment footers.
  /^comments?(\s*\(\d+\))?$/i,
  /^\d+\s+comments?$/i,
  /^(log ?in|sign ?in|register)\b.{0,40}\bto (comment|reply|post)\b.{0,40}$/i,
  /^no comments( yet)?\b.{0,80}$/i,
  /^be the first to (comment|reply)\b.{0,20}$/i,
  /^(leave|post|add|write) a (comment|reply)\b.{0,40}$/i,
  /^(join the (conversation|discussion)|show comments|view comments|load comments)\b.{0,40}$/i,
  /^(暂无评论|发表评论|评论\s*[（(]\d+[)）]|登录后(评论|发表评论).*|分享到.{0,20}|返回(首页|列表)?|责任编辑[:：].{0,20})$/,
  // Photo and image credits.
  /^(photo|photograph|picture|image|illustration|graphic|video|footage|cover image)s?\s*(by|credit|courtesy|source|:|\/)\s*.{0,100}$/i,
  /^[[(](photo|image|picture|graphic|illustration|credit|source)\s*[:=/][^\])]{0,80}[\])]$/i,
  /^\((reuters|ap|afp|getty( images)?|xinhua|epa|bloomberg|ani|afp\/getty|ap photo)\b[^)]{0,60}\)$/i,
  /^(图片来源|图源|图片|摄影|视觉中国|来源)\s*[:：].{0,40}$/,
  // Metadata lines.
  /^publish(ed)?( date| on| at)?\s*[:：]/i,
  /^(updated|last updated|posted|posted on|date|dateline)\s*[:：]\s*.{0,60}$/i,
  /^source domain\s*[:：]/i,
  /^(source|sources|via|credit|from)\s*[:：]?\s*$/i,
  /^(source|via)\s*[:：]\s*.{1,80}$/i,
  /^(tags?|topics?|filed under|categories|category)\s*[:：].{0,200}$/i,
  /^(this (article|story|post) (first|originally) (appeared|was published)|originally (published|appeared) (on|in|at|by)|republished (with permission|from))\b.{0,160}$/i,
  /^the (post|article) .{1,200} appeared first on .{1,80}$/i,
  /^(©|\(c\)|copyright\s*(©|\(c\)|\d{4})).{0,120}$/i,
  /^(all rights reserved|privacy policy|terms of (use|service)|cookie (policy|settings))\.?$/i,
  /^(https?:\/\/|www\.)\S+$/i,
  // A dateline on its own: "2026年5月20日 09:30 来源：晨光网", "2026-05-22 02:14".
  /^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)([ T]\d{1,2}:\d{2}(:\d{2})?)?(\s.{0,30})?$/,
  // Separators.
  /^[|│¦\-–—_=*•·~.]+$/,
];

/**
 * "Photo by Ana Ruiz on Unsplash". Kept out of FURNITURE_LINES to be tried on short lines only:
 * on a long one it backtracks through its first 80 characters looking for "on".
 */
const STOCK_CREDIT = /^.{0,80}\bon (pexels|unsplash|pixabay|shutterstock|getty images|istock)\.?$/i;
/** The longest line STOCK_CREDIT can match: 80 characters, "on ", "getty images" and a full stop. */
const STOCK_CREDIT_MAX = 80 + 'on getty images.'.length;

/**
 * The case-insensitive patterns of FURNITURE_LINES as one: a line is tried against one pattern,
 * not 34 one after another (each anchored at the start, so each alternative fails fast, but the
 * calls alone cost more than the matching). The others keep their case (a dateline's "T").
 */
const ANY_FURNITURE_LINE = new RegExp(
  FURNITURE_LINES.filter((re) => re.flags === 'i')
    .map((re) => `(?:${re.source})`)
    .join('|'),
  'i',
);
const OTHER_FURNITURE_LINES = FURNITURE_LINES.filter((re) => re.flags !== 'i');

/** A byline on its own line: "By Jane Doe", "By Jane Doe · 22 May 2026". Not "By contrast, …". */
const BYLINE = /^[Bb][Yy]\s+(\p{Lu}[\p{L}.'’-]*(\s+\p{Lu}[\p{L}.'’-]*){0,3})(\s*(,|·|\||—|-|and)\s*.{0,60})?$/u;
/** Words that follow "By" in a sentence rather than in a byline ("By Monday, …"). */
const NOT_A_NAME =
  /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Then|Now|Contrast|Comparison|Law|Design|Default|Far|Early|Late|Mid|The|That|This|These|Those|Its|Their|Some|Most|Many)\b/;

/** A byline on its own line; a sentence that starts with "By" is not one. */
export function isByline(line: string): boolean {
  const m = BYLINE.exec(line);
  return m !== null && !NOT_A_NAME.test(m[1] ?? '') && !/[.!?。"”]$/.test(line);
}

/** "SCMP 2026-05-22": an outlet and a date on their own line. */
const OUTLET_DATE = /^([\p{Lu}\p{N}][\p{L}\p{N} .&'’-]{0,40}?)\s+(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?)$/u;

/** Cookie notices are recognised by their vocabulary, and only when short. */
function isCookieNotice(line: string): boolean {
  return (
    line.length < 400 &&
    /\bcookies?\b/i.test(line) &&
    /\b(accept|consent|we use|this (site|website) uses|cookie (policy|settings|preferences)|by continuing)\b/i.test(line)
  );
}

/** A breadcrumb or menu: "Home | AI | Chips", "Asia Markets Digest | Technology". */
function isMenuLine(line: string): boolean {
  const parts = line.split(/\s+[|·•»›>/]\s+/);
  if (parts.length < 2) return false;
  return parts.every((p) => p.trim() !== '' && p.trim().split(/\s+/).length <= 4 && !/[.!?。！？,:]$/.test(p.trim()));
}

/**
 * True when a single line, on its own, is page furniture. Exported for extractors that see
 * lines before text is assembled.
 */
export function isFurnitureLine(rawLine: string): boolean {
  const line = rawLine.trim();
  if (line === '') return false;
  const bare = withoutTrailingArrows(line.replace(LEADING_SYMBOLS, '')).trim();
  if (bare === '') return true; // only icons, arrows or separators
  if (bare.length > 400) return false;
  if (bare.length <= STOCK_CREDIT_MAX && STOCK_CREDIT.test(bare)) return true;
  if (ANY_FURNITURE_LINE.test(bare) || OTHER_FURNITURE_LINES.some((re) => re.test(bare))) return true;
  if (line.length < 120 && (isByline(bare) || OUTLET_DATE.test(bare))) return true;
  if (isCookieNotice(bare)) return true;
  if (line.length < 120 && isMenuLine(bare)) return true;
  return false;
}

const TRAILING_ARROW = /[\s→»›>]/u;

/**
 * The line without its trailing spaces and arrows ("Read more →"). A loop from the end: the
 * regex /[\s→»›>]+$/ is tried at every space of the line, and a 37 KB one-line feed item
 * spent more there than in the rest of this check.
 */
function withoutTrailingArrows(line: string): string {
  let end = line.length;
  while (end > 0 && TRAILING_ARROW.test(line[end - 1]!)) end -= 1;
  return line.slice(0, end);
}

/** "… Continue reading →" / "Read more »" left at the end of a feed teaser. */
const TRAILING_MORE = /\s*(continue reading|keep reading|read more|read the full (story|article))\s*[→»›>.…]*\s*$/i;
const TRAILING_MORE_TAIL = /[\s→»›>.…]/u;

/** The paragraph without a closing "Read more →". */
function dropTrailingMore(paragraph: string): string {
  // Every phrase TRAILING_MORE knows holds "read" and ends within 25 characters of the
  // paragraph's last character that is not a space, arrow or dot.
  let end = paragraph.length;
  while (end > 0 && TRAILING_MORE_TAIL.test(paragraph[end - 1]!)) end -= 1;
  if (
    !paragraph
      .slice(Math.max(0, end - 30), end)
      .toLowerCase()
      .includes('read')
  )
    return paragraph;
  return paragraph.replace(TRAILING_MORE, '');
}

/** Inline credits inside a caption or paragraph: "[Photo: Kuaishou]", "(Photo: Reuters)". */
const INLINE_CREDIT = /\s*[[(](photo|image|picture|graphic|illustration|credit)s?\s*[:=/][^\])]{0,80}[\])]/gi;

/** A credit closing a paragraph: the mark of a photo caption that lost its markup. */
const TRAILING_CREDIT =
  /(?:^|[.!?)”"’]\s+|\s[-–—|]\s+)(?:photo(?:graph)?s?|image|picture|illustration|credit)\s*(?::|by\b)\s*[^.!?:]{1,80}$/i;
/** Captions are short; a long paragraph that happens to end with a credit is kept. */
const CAPTION_MAX_WORDS = 45;

/**
 * Self-promotion of the outlet: a sentence that points readers to one of the site's own paths
 * ("… offering analytical frameworks on /llm-onpremise …") or asks them to visit or follow it.
 */
const PROMO_SENTENCE =
  /(\b(on|at|visit|see|via)\s+\/[a-z][\w-]*(\/[\w-]+)*\b)|(\b(visit|check out|explore|follow|download)\s+(us|our)\b)|(\b(subscribe|sign up)\s+(to|for)\s+(our|the)\b.{0,60}\b(newsletter|podcast|channel)\b)/i;

function dropPromoSentences(paragraph: string): string {
  if (!PROMO_SENTENCE.test(paragraph)) return paragraph;
  const sentences = paragraph.match(/[^.!?。！？]+(?:[.!?。！？]+["”’)]?|$)\s*/g) ?? [paragraph];
  return sentences
    .filter((s) => !PROMO_SENTENCE.test(s))
    .join('')
    .trim();
}

/** Words a page writes in camel case on purpose; a heading glued to prose is never split inside them. */
const CAMEL_WORDS =
  /^(DeepSeek|OpenAI|ByteDance|TikTok|YouTube|WeChat|WeChatPay|PayPal|LinkedIn|GitHub|GitLab|iPhone|iPad|iOS|macOS|MiniMax|SenseTime|MegVii|Megvii|JavaScript|TypeScript|PowerPoint|PlayStation|SoftBank|HarmonyOS|MediaTek|NetEase|AliExpress|iFlytek|ChatGPT|MoonShot|SambaNova|CoreWeave|HuggingFace|BlackRock|DoorDash|FedEx|McDonald|McKinsey|MacBook|RedNote|XPeng|NeurIPS|LangChain|PyTorch|TensorFlow|StepFun|ModelScope|CloudMatrix)/;

/**
 * Splits a Markdown heading that was glued into prose ("### Key Developments: the gapThe
 * former lead said…") into the heading and the paragraph after it. The seam is the first
 * lower→Upper letter pair that is not inside a word the text uses as one word elsewhere.
 */
function splitGluedHeading(heading: string, wordCounts: () => ReadonlyMap<string, number>): [string, string] | undefined {
  const seam = /(\p{Ll})(\p{Lu}\p{Ll})/gu;
  for (const match of heading.matchAll(seam)) {
    const at = (match.index ?? 0) + 1;
    if (at > 160) break;
    const before = heading.slice(0, at);
    const after = heading.slice(at);
    const left = /\p{L}*$/u.exec(before)?.[0] ?? '';
    const right = /^\p{L}*/u.exec(after)?.[0] ?? '';
    const word = left + right;
    if (left.length < 2 || word.length > 40 || CAMEL_WORDS.test(word)) continue;
    // The glued word also occurs elsewhere: it is a real word ("DeepSeek"), not a seam.
    if ((wordCounts().get(word) ?? 0) >= 2) continue;
    return [before.trim(), after.trim()];
  }
  return undefined;
}

/** How often each run of letters occurs in a text; built once per text, on first use. */
function lazyWordCounts(text: string): () => ReadonlyMap<string, number> {
  let counts: Map<string, number> | undefined;
  return () => {
    if (counts === undefined) {
      counts = new Map();
      for (const m of text.matchAll(/\p{L}+/gu)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    }
    return counts;
  };
}

/**
 * Restores paragraph breaks that a scraper lost: Markdown headings glued into prose
 * ("…innovation.### Key Developments…"), bold headlines glued to the first sentence
 * ("**Headline**In an interview…") and sentences glued across a lost newline ("development.In").
 */
function unglue(text: string): string {
  let out = text
    .replace(/([^\n])[ \t]*(#{2,6})[ \t]*(?=\p{L})/gu, '$1\n\n$2 ')
    .replace(/\*\*([^*\n]{3,200})\*\*(?=\p{Lu})/gu, '**$1**\n\n');
  // Sentences glued across a lost newline; the cheap test first (a stop right before a capital),
  // since the full pattern is tried at every position of every text.
  if (/[.!?]["”’]?\p{Lu}\p{Ll}/u.test(out)) out = out.replace(/(\p{Ll}{2}|\d%|[)”"’])([.!?])(["”’]?)(?=\p{Lu}\p{Ll})/gu, '$1$2$3\n\n');
  // Headings: strip the marks and give each its own paragraph, splitting off glued prose.
  if (!out.includes('#')) return out;
  const wordCounts = lazyWordCounts(text);
  out = out.replace(/^[ \t]*#{1,6}[ \t]+(.+)$/gmu, (_line, body: string) => {
    const heading = body.replace(/\s+#+\s*$/, '').trim();
    const split = splitGluedHeading(heading, wordCounts);
    return split ? `\n${split[0]}\n\n${split[1]}\n` : `\n${heading}\n`;
  });
  return out;
}

/** Joins a block's lines into paragraphs: a line continues the previous one only when it was soft-wrapped. */
function blockToParagraphs(lines: string[]): string[] {
  // Lines are collected per paragraph and joined once: growing one string and testing its end
  // on every line would be quadratic on long soft-wrapped blocks.
  const groups: string[][] = [];
  let previous: string | undefined;
  for (const line of lines) {
    const group = groups.at(-1);
    if (
      group !== undefined &&
      previous !== undefined &&
      !/[.!?:;"”’)\]。！？：」』|]$/u.test(previous) &&
      /^[\p{Ll}\d(“"‘'«]/u.test(line)
    ) {
      group.push(line);
    } else {
      groups.push([line]);
    }
    previous = line;
  }
  return groups.map((g) => g.join(' '));
}

/** Text without the emphasis marks scrapers leave ("**bold**", "*italic*"). */
function withoutEmphasis(text: string): string {
  return text.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/(^|[\s(“"‘'])\*(?=\S)([^*\n]*?\S)\*(?=[\s.,;:!?)”"’']|$)/gu, '$1$2');
}

/** A last line that is a tag list ("AI", "AI · Chips · China"), not a sentence. */
function isTagTail(paragraph: string): boolean {
  if (paragraph.length > 60 || /[.!?。！？]$/.test(paragraph)) return false;
  const parts = paragraph.split(/\s*[,|·•#/]\s*/).filter((p) => p !== '');
  return parts.length > 0 && parts.every((p) => p.split(/\s+/).length <= 2) && words(paragraph).length <= 6;
}

/** A last fragment cut off by the page ("Against this…"). */
function isTruncatedTail(paragraph: string): boolean {
  return paragraph.length < 160 && /(…|\.\.\.)\s*$/.test(paragraph) && !/[.!?。]["”’]?\s*(…|\.\.\.)$/.test(paragraph);
}

/**
 * A trimmed line without a table cell's pipe at either end ("| Crews at work |"). Tested for
 * first: a pattern ending in "\s+\|$" is tried at every space of every line.
 */
function withoutTablePipes(line: string): string {
  if (!line.endsWith('|') && !line.startsWith('|')) return line;
  return line
    .replace(/\s+\|$/, '')
    .replace(/^\|\s+/, '')
    .trim();
}

/** A character normaliseSpaces changes (besides a second space in a row). */
const NOT_NORMAL_SPACE = /[\r\u200B\u200C\u2060\uFEFF\u00AD\u00A0\u2007\u202F\t\f\v]/;

/** Normalises spaces and invisible characters without touching line structure. */
export function normaliseSpaces(text: string): string {
  // Two quick scans find most texts already normal.
  if (!NOT_NORMAL_SPACE.test(text) && !text.includes('  ')) return text;
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u200B\u200C\u2060\uFEFF\u00AD]/g, '')
    .replace(/[\u00A0\u2007\u202F\t\f\v]/g, ' ')
    .replace(/ {2,}/g, ' ');
}

/**
 * Drops page furniture lines and paragraphs from already-plain text and returns clean text:
 * paragraphs separated by a blank line. When `title` is given, the headline repeated in the
 * text (alone, as a close variant, or glued to the first sentence) is removed too.
 */
export function removeFurniture(text: string, title?: string): string {
  const glued = unglue(normaliseSpaces(text));
  const blocks = glued.split(/\n[ \t]*\n+/);
  let paragraphs: string[] = [];
  for (const block of blocks) {
    const lines = block
      .split('\n')
      .map((l) => withoutTablePipes(l.trim()))
      .filter((l) => l !== '' && !isFurnitureLine(l));
    paragraphs.push(...blockToParagraphs(lines));
  }

  paragraphs = paragraphs
    .map((p) => {
      // Emphasis marks left by scrapers; real Markdown was stripped before we got here.
      let clean = p.includes('*') ? withoutEmphasis(p) : p;
      // A caption ends with its credit ("Crews at work in October. Photo: Outlet/Name").
      if (TRAILING_CREDIT.test(clean) && clean.split(/\s+/).length < CAPTION_MAX_WORDS) return '';
      // Both patterns below need a bracket or "read" near the end; most paragraphs have neither,
      // and each pattern is otherwise tried at every position of every paragraph.
      const credited = /[[(]/.test(clean) ? clean.replace(INLINE_CREDIT, '').trim() : clean.trim();
      // A caption whose credit was its point is dropped with it; one that names something stays.
      if (credited !== clean && credited.split(/\s+/).length < 4) return '';
      clean = dropTrailingMore(dropPromoSentences(credited));
      return clean.replace(/\s+\|$/, '').trim();
    })
    .filter((p) => p !== '' && !isFurnitureLine(p));

  if (title !== undefined && title.trim() !== '') paragraphs = withoutHeadline(paragraphs, title.trim());

  // The tail: truncation marks, tag lists, stray metadata.
  // A lone short paragraph (a feed teaser) is the article, not a tail.
  while (paragraphs.length > 1) {
    const last = paragraphs.at(-1) ?? '';
    if (isTruncatedTail(last) || isTagTail(last)) paragraphs.pop();
    else break;
  }
  return paragraphs.join('\n\n');
}
