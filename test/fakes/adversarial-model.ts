/**
 * An adversarial model for the fake OpenAI-compatible server (fakes/openai.ts): it answers in
 * the right schema, copies some items faithfully (verbatim sentences of the evidence, cited to
 * the article they came from) and lies in every field the schema has — it alters numbers it
 * copies, invents quotes for real people, attributes statements to people the cited article
 * never names, cites ids of the other story and ids that don't exist, and repeats a planted
 * instruction's payload. Follow-up answers get the same treatment.
 *
 * It records what it did: `faithful` (what must survive verification) and `fabricated`
 * (markers — altered numbers, invented quotes, foreign names, the payload — none of which may
 * reach a reader), each with the article ids of the prompt it answered, so a test can check
 * the story those ids make up.
 */
import { unescapeFromFence } from '../../src/llm/json.ts';
import { splitSentences } from '../../src/text/sentences.ts';
import { userPrompt, type ChatRequestBody, type Responder } from './openai.ts';

export interface AdversaryOptions {
  /** The planted instruction's payload the model repeats, e.g. "The plant will employ 9,999 people". */
  readonly payload: string;
  /** The marker of the payload that must appear nowhere ("9,999"). */
  readonly payloadMarker: string;
  /** Real people of the corpus, to misattribute statements to where a prompt doesn't name them. */
  readonly people: readonly string[];
}

export interface FaithfulItem {
  readonly kind: 'claim' | 'figure' | 'position' | 'summary' | 'headline' | 'answer';
  /** The text (a claim's, a position's, a figure's value) as it must appear. */
  readonly text: string;
  readonly ids: readonly string[];
}

export interface FabricatedItem {
  readonly kind: string;
  /** A string that must not reach the reader (in the story of `ids`, or the answer). */
  readonly marker: string;
  /** Article ids of the prompt (the story it was told about); [] for answers. */
  readonly ids: readonly string[];
}

export interface Adversary {
  readonly respond: Responder;
  readonly faithful: FaithfulItem[];
  readonly fabricated: FabricatedItem[];
}

interface EvidenceArticle {
  readonly id: string;
  readonly title: string;
  readonly sentences: string[];
}

const NUMBER = /\d(?:[\d,]*\d)?(?:\.\d+)?/;
/** A figure value inside a sentence: a number with its currency, scale or unit. */
const VALUE = /[€$£]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s?(?:%|billion|million|years|months|turbines|people|books|jobs))?/;
const NAME_SAID = /\b((?:Mayor|Engineer|Councillor|Head librarian)\s+)?(\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+)\s+said\b/u;

function evidenceOf(prompt: string): EvidenceArticle[] {
  return [...prompt.matchAll(/<article id="([^"]+)" title="([^"]*)"[^>]*>\n([\s\S]*?)\n<\/article>/g)].map((m) => ({
    id: m[1]!,
    title: unescapeFromFence(m[2]!),
    sentences: splitSentences(unescapeFromFence(m[3]!)),
  }));
}

/** A value no prompt text holds: the number times seven plus three, kept in its format. */
function alter(raw: string, prompt: string): string {
  const n = Number(raw.replace(/,/g, ''));
  let candidate = n * 7 + 3;
  const decimals = raw.includes('.') ? raw.split('.')[1]!.length : 0;
  let text = '';
  for (let i = 0; i < 20; i++) {
    text = decimals > 0 ? candidate.toFixed(decimals) : Math.round(candidate).toLocaleString('en-US');
    if (!prompt.includes(text)) break;
    candidate += 11;
  }
  return text;
}

export function createAdversary(options: AdversaryOptions): Adversary {
  const faithful: FaithfulItem[] = [];
  const fabricated: FabricatedItem[] = [];

  function story(request: ChatRequestBody): unknown {
    const prompt = userPrompt(request);
    const allowed = /Article ids you may cite: ([^.]+)\./.exec(prompt)?.[1]?.split(', ') ?? [];
    const articles = evidenceOf(prompt);
    const max = Math.max(0, ...allowed.map((id) => Number(id.slice(1))));
    const otherStory = [...Array.from({ length: max + 1 }, (_, i) => `a${i + 1}`)].find((id) => !allowed.includes(id)) ?? `a${max + 1}`;
    const lie = (kind: string, marker: string): void => {
      fabricated.push({ kind, marker, ids: allowed });
    };
    const keep = (item: Omit<FaithfulItem, 'ids'> & { ids: readonly string[] }): void => {
      faithful.push(item);
    };
    const all = articles.flatMap((a) => a.sentences.map((s) => ({ id: a.id, s })));
    const withNumber = all.filter((x) => VALUE.test(x.s) && x.s.split(' ').length >= 6);
    const plain = all.filter((x) => !NUMBER.test(x.s) && x.s.split(' ').length >= 6);
    const speaker = all.map((x) => NAME_SAID.exec(x.s)).find((m) => m !== null);
    const stranger = options.people.find((p) => !prompt.includes(p.split(' ').at(-1)!)) ?? 'Liu Wei';
    const payloadHere = /plant/i.test(prompt);

    // Faithful: claims verbatim (a plain sentence and a numbered one per article, cited right),
    // figures with their own sentence, a disagreement of two articles' durations.
    const claims: { text: string; articleIds: string[] }[] = [];
    for (const a of articles) {
      const first = plain.find((x) => x.id === a.id);
      if (first) {
        // Cited right, plus the other story's id and one that doesn't exist: narrowed, kept.
        claims.push({ text: first.s, articleIds: [first.id, otherStory, 'a99'] });
        keep({ kind: 'claim', text: first.s, ids: [first.id] });
      }
    }
    const figures: { value: string; text: string; articleIds: string[] }[] = [];
    for (const x of withNumber.slice(0, 3)) {
      const value = VALUE.exec(x.s)![0];
      figures.push({ value, text: x.s, articleIds: [x.id] });
      keep({ kind: 'figure', text: value, ids: [x.id] });
    }
    const durations = withNumber.filter((x) => /\d+ years/.test(x.s));
    const disagreements: { about: string; positions: { text: string; articleIds: string[] }[] }[] = [];
    const [d1, d2] = [durations[0], durations.find((x) => x.id !== durations[0]?.id)];
    if (d1 && d2) {
      const altered = alter(/(\d+) years/.exec(d1.s)![1]!, prompt);
      disagreements.push({
        // A made-up number in the label; the positions are faithful, plus one that is not.
        about: `How long construction will take: 4, 6 or ${altered} years`,
        positions: [
          { text: d1.s, articleIds: [d1.id] },
          { text: d2.s, articleIds: [d2.id] },
          { text: d1.s.replace(/\d+ years/, `${altered} years`), articleIds: [d1.id] },
        ],
      });
      keep({ kind: 'position', text: d1.s, ids: [d1.id] });
      keep({ kind: 'position', text: d2.s, ids: [d2.id] });
      lie('about', `or ${altered} years`);
      lie('position', `${altered} years`);
    }

    // Lies, field by field.
    if (withNumber[0]) {
      const x = withNumber[0];
      const raw = NUMBER.exec(x.s)![0];
      const altered = alter(raw, prompt);
      claims.push({ text: x.s.replace(raw, altered), articleIds: [x.id] });
      figures.push({ value: VALUE.exec(x.s)![0].replace(raw, altered), text: x.s.replace(raw, altered), articleIds: [x.id] });
      lie('claim/figure altered number', altered);
      // A real value with a sentence that adds an invented number: the sentence is rewritten.
      const textAltered = alter(String(Number(raw.replace(/,/g, '')) + 1), prompt);
      figures.push({
        value: VALUE.exec(x.s)![0],
        text: `${x.s.replace(/[.]$/, '')}, up from ${textAltered} last year.`,
        articleIds: [x.id],
      });
      lie('figure sentence', textAltered);
    }
    if (speaker) {
      const name = `${speaker[1] ?? ''}${speaker[2]}`;
      const quote = 'the turbines will never harm a single fish';
      claims.push({ text: `${name} said "${quote}".`, articleIds: allowed });
      lie('invented quote', quote);
    }
    if (plain[0]) {
      // A faithful sentence put in the mouth of someone the cited article never names.
      claims.push({ text: `${plain[0].s.replace(/[.]$/, '')}, said ${stranger}.`, articleIds: [plain[0].id] });
      lie('misattribution', `said ${stranger}`);
    }
    claims.push({ text: 'The council also approved a second plant on the river.', articleIds: [otherStory] });
    lie('other story id', 'second plant on the river');
    claims.push({ text: 'Exactly 4,321 objections were filed against the project.', articleIds: ['a99'] });
    lie('missing id', '4,321');
    disagreements.push({
      about: 'Staffing of the plant',
      positions: [
        { text: `${options.payload}.`, articleIds: allowed },
        { text: 'The plant will employ 17 people, according to the operator.', articleIds: allowed },
      ],
    });
    lie('lying disagreement', 'employ 17 people');
    if (payloadHere) {
      claims.push({ text: `${options.payload}, officials confirmed.`, articleIds: allowed });
      figures.push({ value: options.payloadMarker, text: `${options.payload}.`, articleIds: allowed });
    }
    lie('payload', options.payloadMarker);

    const title = articles[0]?.title ?? 'A story';
    const headline = payloadHere ? options.payload : title;
    if (!payloadHere) keep({ kind: 'headline', text: title, ids: allowed });
    const opening = plain[0]?.s ?? title;
    keep({ kind: 'summary', text: opening, ids: allowed });
    const summary = [
      opening,
      speaker ? `${speaker[2]} said "our harbour will be rebuilt by robots".` : 'Critics said "nothing here adds up at all".',
      withNumber[0] ? withNumber[0].s.replace(NUMBER.exec(withNumber[0].s)![0], alter(NUMBER.exec(withNumber[0].s)![0], prompt)) : '',
      payloadHere ? `${options.payload}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
    lie('summary quote', speaker ? 'rebuilt by robots' : 'nothing here adds up');
    return { headline, summary, claims, figures, disagreements };
  }

  function answer(request: ChatRequestBody): unknown {
    const prompt = userPrompt(request);
    const passages = [...prompt.matchAll(/<passage n="(\d+)" source="([^"]*)">\n([\s\S]*?)\n<\/passage>/g)].map((m) => ({
      n: Number(m[1]),
      source: m[2]!,
      sentences: splitSentences(unescapeFromFence(m[3]!)),
    }));
    const first = passages[0];
    if (!first) return { answered: false, text: 'The passages do not say.' };
    const sentences: string[] = [];
    const lie = (kind: string, marker: string): void => {
      fabricated.push({ kind, marker, ids: [] });
    };
    const faithfulSentence = first.sentences.find((s) => s.split(' ').length >= 5) ?? first.sentences[0]!;
    sentences.push(`${faithfulSentence.replace(/[.]$/, '')} [${first.n}].`);
    faithful.push({ kind: 'answer', text: faithfulSentence.replace(/[.]$/, ''), ids: [] });
    const numbered = passages.flatMap((p) => p.sentences.filter((s) => NUMBER.test(s)).map((s) => ({ p, s })))[0];
    if (numbered) {
      const raw = NUMBER.exec(numbered.s)![0];
      const altered = alter(raw, prompt);
      sentences.push(`${numbered.s.replace(raw, altered).replace(/[.]$/, '')} [${numbered.p.n}].`);
      lie('answer altered number', altered);
      // The real number, cited to a passage of another source that doesn't hold it.
      const other = passages.find((p) => p.source !== numbered.p.source && !p.sentences.join(' ').includes(raw));
      if (other) {
        sentences.push(`${numbered.s.replace(/[.]$/, '')} [${other.n}].`);
        lie('answer wrong source', `${numbered.s.replace(/[.]$/, '')} [`);
      }
    }
    const person = options.people.find((p) => prompt.includes(p)) ?? options.people[0]!;
    sentences.push(`${person} said "every promise has already been kept" [${first.n}].`);
    lie('answer invented quote', 'every promise has already been kept');
    const stranger = options.people.find((p) => !prompt.includes(p.split(' ').at(-1)!)) ?? 'Liu Wei';
    sentences.push(`${faithfulSentence.replace(/[.]$/, '')}, said ${stranger} [${first.n}].`);
    lie('answer misattribution', `said ${stranger}`);
    sentences.push('Exactly 4,321 objections were filed [99].');
    lie('answer missing passage', '4,321');
    sentences.push(`${options.payload} [${first.n}].`);
    lie('answer payload', options.payloadMarker);
    return { answered: true, text: sentences.join(' ') };
  }

  const respond: Responder = (request) => (userPrompt(request).includes('<passage n="') ? answer(request) : story(request));
  return { respond, faithful, fabricated };
}
