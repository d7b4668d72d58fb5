/**
 * Key claims: the story's central assertions, one sentence each, attributed where the text
 * attributes them, merged across sources by similarity and citing every article that states
 * them. Selection is greedy over centrality with a diversity check, so it stays linear.
 */
import type { Claim } from '../../core/types.ts';
import { jaccard, type PreparedStory, type StorySentence } from './story-text.ts';

/** Sentences this similar (token Jaccard) state the same thing. */
export const SAME_CLAIM = 0.5;
const MAX_CLAIM_CHARS = 300;

const SPEECH_VERBS =
  'said|says|stated|states|argued|argues|warned|warns|noted|notes|told|added|stressed|stresses|explained|cautioned|urged|assessed|pointed|believes|claimed|claims|insisted|estimated|predicted|forecast|acknowledged|admitted|suggested|suggests';

const NAME = String.raw`\p{Lu}[\p{L}'’-]+(?:\s\p{Lu}[\p{L}'’-]+){1,2}`;
const NOT_A_PERSON =
  /^(?:The|This|That|These|Those|In|On|At|According|But|And|However|While|When|Chinese|American|US|U\.S\.|China|United|South|North|New|Public|Former)\b/u;

/** "Liu Wei, who led …, said", "said Liu Wei", "according to Liu Wei". */
const SPEAKER_PATTERNS = [
  new RegExp(String.raw`(${NAME})(?:,\s[^,]{3,140},)?\s(?:${SPEECH_VERBS})\b`, 'u'),
  new RegExp(String.raw`(?:${SPEECH_VERBS})\s(${NAME})\b`, 'u'),
  new RegExp(String.raw`according to (${NAME})`, 'u'),
];

/** The person a sentence names as speaker, if any ("Liu Wei, who led …, said" → "Liu Wei"). */
export function speakerOf(sentence: string): string | undefined {
  for (const re of SPEAKER_PATTERNS) {
    const name = re.exec(sentence)?.[1];
    if (name && !NOT_A_PERSON.test(name)) return name;
  }
  return undefined;
}

/** True when the sentence already says who holds the view. */
export function isAttributed(sentence: string): boolean {
  return ATTRIBUTED.test(sentence);
}
const ATTRIBUTED = new RegExp(String.raw`\b(?:${SPEECH_VERBS}|according to|in an interview)\b`, 'i');

/** Words in a text; CJK counts two characters as a word. */
export function wordCount(text: string): number {
  const cjk = text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w) && !/^[\u3400-\u9fff]/.test(w)).length + Math.ceil(cjk / 2);
}

/** Shortens a long sentence at a clause boundary; keeps it whole when it fits. */
export function trimClaim(text: string): string {
  if (text.length <= MAX_CLAIM_CHARS) return text;
  const cut = text.slice(0, MAX_CLAIM_CHARS);
  const at = Math.max(cut.lastIndexOf('; '), cut.lastIndexOf(', '));
  return `${(at > 120 ? cut.slice(0, at) : cut.slice(0, cut.lastIndexOf(' '))).trim()}…`;
}

const SPEECH_VERB = new RegExp(String.raw`\b(?:${SPEECH_VERBS})\b`);
/** Global, for matchAll only (which copies it, so its lastIndex is never moved). */
const ANY_NAME = new RegExp(NAME, 'gu');

/**
 * "He said …" becomes "Liu Wei said …" when the article named the speaker in one of the
 * previous few sentences, so a claim read alone still says who holds it.
 */
function attribute(sentence: StorySentence, story: PreparedStory): string {
  const m = /^(He|She)\s(?=\S)/.exec(sentence.text);
  if (!m || !SPEECH_VERB.test(sentence.text)) return sentence.text;
  const earlier = story.sentences.filter(
    (s) => s.articleId === sentence.articleId && s.position < sentence.position && s.position >= sentence.position - 8,
  );
  // Only the nearest earlier sentence that names anyone may resolve the pronoun, and only
  // when the person it names is unambiguous: a wrong name is worse than "He".
  for (let i = earlier.length - 1; i >= 0; i--) {
    const text = earlier[i]!.text;
    const names = [...text.matchAll(ANY_NAME)].map((n) => n[0]).filter((n) => !NOT_A_PERSON.test(n));
    if (names.length === 0) continue;
    const name = speakerOf(text) ?? /(\p{Lu}[\p{L}'’-]+\s\p{Lu}[\p{L}'’-]+),\swho\b/u.exec(text)?.[1];
    const others = names.filter((n) => name === undefined || (!n.includes(name) && !name.includes(n)));
    if (name && !NOT_A_PERSON.test(name) && others.length === 0) return `${name} ${sentence.text.slice(m[0].length)}`;
    return sentence.text;
  }
  return sentence.text;
}

/** Every article that states (nearly) this sentence, in story order. */
export function citingArticles(sentence: StorySentence, story: PreparedStory): string[] {
  const ids = new Set(sentence.articleIds);
  for (const other of story.sentences) {
    if (other === sentence || other.articleIds.every((id) => ids.has(id))) continue;
    if (jaccard(sentence.tokenSet, other.tokenSet) >= SAME_CLAIM) other.articleIds.forEach((id) => ids.add(id));
  }
  return story.articles.map((a) => a.id).filter((id) => ids.has(id));
}

/** A sentence that opens by pointing back ("In this context, …", "These firms …") reads poorly alone. */
const LEANS_ON_CONTEXT =
  /^(?:But|And|Also|However|This|That|These|Those|Such|It|In (?:this|that) (?:context|case|sense)|In addition|Additionally|Moreover|Furthermore|Meanwhile|Nevertheless)\b/;

/**
 * Picks 3–6 claims (fewer when the story has fewer sentences), skipping sentences already
 * used (the summary) and near-repeats of chosen ones.
 */
export function pickClaims(story: PreparedStory, exclude: readonly StorySentence[], max = 6): Claim[] {
  const ranked = story.sentences
    .filter((s) => !s.heading && !/[?？]$/.test(s.text) && wordCount(s.text) >= 6)
    .map((s) => ({ s, score: s.score * (isAttributed(s.text) ? 1.2 : 1) * (LEANS_ON_CONTEXT.test(s.text) ? 0.8 : 1) }))
    .sort((a, b) => b.score - a.score || a.s.position - b.s.position);
  const chosen: StorySentence[] = [];
  const perArticle = new Map<string, number>();
  for (const a of exclude) perArticle.set(a.articleId, (perArticle.get(a.articleId) ?? 0) + 1);
  // Greedy, re-weighed each round: an article that already gave a claim counts for less, so
  // the claims cover the sources rather than echo the longest one.
  const fresh = ranked.slice(0, 300).filter(({ s }) => !exclude.some((e) => e === s || jaccard(e.tokenSet, s.tokenSet) >= SAME_CLAIM));
  // A short story has few sentences besides its summary: it gets fewer claims, never the
  // summary again (each part of a brief adds something new).
  const pool = fresh;
  while (chosen.length < max) {
    let best: { s: StorySentence; score: number } | undefined;
    for (const c of pool) {
      if (chosen.includes(c.s) || chosen.some((x) => jaccard(x.tokenSet, c.s.tokenSet) >= 0.35)) continue;
      const adjusted = c.score * 0.7 ** (perArticle.get(c.s.articleId) ?? 0);
      if (!best || adjusted > best.score) best = { s: c.s, score: adjusted };
    }
    if (!best) break;
    chosen.push(best.s);
    perArticle.set(best.s.articleId, (perArticle.get(best.s.articleId) ?? 0) + 1);
  }
  return chosen.map((s) => ({ text: trimClaim(attribute(s, story)), articleIds: citingArticles(s, story) }));
}
