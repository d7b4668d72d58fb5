/**
 * Conflicting credit for who reported the story ("reported by AFP" vs "according to the South
 * China Morning Post"), and contrasts between two named speakers within one article.
 */
import type { Disagreement } from '../../../core/types.ts';
import { speakerOf } from '../claims.ts';
import type { PreparedStory, StorySentence } from '../story-text.ts';

const MEDIA_WORD =
  /\b(?:Post|Times|News|Journal|Herald|Tribune|Guardian|Telegraph|Agency|Press|Reuters|Bloomberg|Xinhua|Daily|Gazette|Observer|Economist|Wire|Broadcasting|Television|Radio)\b/;
/**
 * Up to six capitalised words: an outlet's name. Words are separated by one whitespace each,
 * so a run of capitals can be read one way only (no backtracking over ways to split it).
 */
const WORDS = String.raw`\p{Lu}[\p{L}&.'-]*(?:\s\p{Lu}[\p{L}&.'-]*){0,5}`;
const NAME = `(${WORDS}\\s?)`;
const CREDIT = [
  new RegExp(
    String.raw`\b(?:[Aa]ccording to |[Ii]n |[Cc]iting )?(?:a |an )(?:report|interview|article|story|dispatch) (?:by|in|from|with) (?:the )?\*?${NAME}`,
    'u',
  ),
  new RegExp(String.raw`\b[Rr]eported by (?:the )?\*?${NAME}`, 'u'),
  new RegExp(String.raw`\b[Aa]ccording to (?:the )?\*?${NAME}`, 'u'),
  new RegExp(String.raw`\b(?:[Ii]nterviews?) with (?:the )?\*?${NAME}`, 'u'),
  new RegExp(String.raw`\b(?:reports?|reported in) (?:the )?\*?${NAME}`, 'u'),
  new RegExp(String.raw`(?:^|\.\s)(${WORDS}) reported\b`, 'u'),
];

/**
 * Outlets known by their initials. Any capitalised acronym would also catch agencies and
 * companies ("according to the CDC's data"), which are sources of a fact, not of the report.
 */
const MEDIA_ACRONYM = new Set([
  'AFP',
  'AP',
  'ANSA',
  'DPA',
  'EFE',
  'UPI',
  'PTI',
  'TASS',
  'BBC',
  'CNN',
  'NPR',
  'PBS',
  'ABC',
  'CBS',
  'NBC',
  'CNBC',
  'MSNBC',
  'SCMP',
  'WSJ',
  'NYT',
  'FT',
  'NHK',
  'KBS',
  'CCTV',
  'CGTN',
  'RFI',
  'DW',
  'ORF',
  'RTE',
  'ARD',
  'ZDF',
  'SVT',
  'NRK',
  'TMZ',
]);

function outletKey(name: string): string {
  const words = name
    .replace(/^The\s/, '')
    .split(/\s+/)
    .filter(Boolean);
  return words.length === 1
    ? words[0]!.toUpperCase()
    : words
        .map((w) => w[0])
        .join('')
        .toUpperCase();
}

/** Sentences this close to an article's top credit the whole story, not one detail of it. */
const CREDIT_LEAD_SENTENCES = 3;

export function reportingConflicts(story: PreparedStory): Disagreement[] {
  const credits = new Map<string, { name: string; sentences: StorySentence[]; ids: Set<string> }>();
  for (const s of story.sentences) {
    // Credit for a detail further down ("JBS produces a quarter of US beef, according to the
    // Journal") says nothing about who broke the story; "X told CNN" only says where X spoke.
    if (s.position >= CREDIT_LEAD_SENTENCES && !s.heading) continue;
    for (const re of CREDIT) {
      const m = re.exec(s.text);
      let name = m?.[1]
        ?.replace(/\*/g, '')
        .replace(/[.,;:'’]+\s*$/, '')
        .replace(/\s+(?:on|in|at|that|and|said|reported)$/i, '')
        .trim();
      if (!name) continue;
      name = name.replace(/\s(?:On|In|At|Thursday|Monday|Tuesday|Wednesday|Friday|Saturday|Sunday)\b.*$/, '').trim();
      if (!MEDIA_ACRONYM.has(name) && !MEDIA_WORD.test(name)) continue;
      const key = outletKey(name);
      const entry = credits.get(key) ?? { name: name.replace(/^The\s/, 'the '), sentences: [], ids: new Set<string>() };
      if (s.articleIds.some((id) => !entry.ids.has(id))) entry.sentences.push(s);
      s.articleIds.forEach((id) => entry.ids.add(id));
      credits.set(key, entry);
      break;
    }
  }
  if (credits.size < 2) return [];
  const entries = [...credits.values()];
  const distinct = entries.some((a) => entries.some((b) => b !== a && [...a.ids].some((id) => !b.ids.has(id))));
  if (!distinct) return [];
  return [
    {
      about: 'Who reported it',
      // One line per wording: each position's text must be what its cited articles say.
      positions: entries.flatMap((e) => e.sentences.slice(0, 3).map((s) => ({ text: s.text, articleIds: [...s.articleIds] }))),
    },
  ];
}

const BUT = /,?\s+but\s+/gi;

/**
 * "A …, but B …" → [A's part, B's part] at the first " but " with at least 20 characters on
 * each side. One scan for " but " (linear), where a lazy `^(.{20,}?)…` pattern backtracked
 * over the whole sentence and overflowed the regex stack on a 10 MB one.
 */
function splitAtBut(text: string): [string, string] | undefined {
  BUT.lastIndex = 0;
  for (let m = BUT.exec(text); m; m = BUT.exec(text)) {
    const left = text.slice(0, m.index);
    const right = text.slice(m.index + m[0].length);
    if (right.length < 20) return undefined;
    if (left.length >= 20) return [left, right];
  }
  return undefined;
}

/** Within one article, a contrast between two named speakers ("A suggests X, but B says Y"). */
export function speakerContrasts(story: PreparedStory): Disagreement[] {
  const out: Disagreement[] = [];
  for (const s of story.sentences) {
    const m = splitAtBut(s.text);
    if (!m) continue;
    const left = speakerOf(m[0]);
    const right = speakerOf(m[1]);
    if (!left || !right || left === right) continue;
    out.push({
      about: `${left} vs ${right}`,
      positions: [
        { text: m[0].trim(), articleIds: [...s.articleIds] },
        { text: m[1].trim(), articleIds: [...s.articleIds] },
      ],
    });
    if (out.length >= 1) break;
  }
  return out;
}
