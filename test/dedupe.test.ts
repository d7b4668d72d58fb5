import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { contentHash, estimatedJaccard, isNearDuplicate, normalizeForHash, signature } from '../src/collect/dedupe.ts';
import { bandKey, bandLabel } from '../src/store/band-key.ts';

// Fixture articles written for these tests.
const BODY = [
  'The provincial science ministry said on Tuesday that it would fund a new computing centre in Hefei with 4.5 billion yuan over three years, the largest single grant in its history.',
  'Officials said the centre would host about 20,000 accelerator chips when complete and would be open to universities and start-ups that cannot afford their own clusters.',
  'Zhou Lan, deputy director of the ministry, told reporters that the first phase would come online by the end of next year, with a second phase depending on chip supplies.',
  'Analysts at Harbour Securities estimated that demand for training capacity in the region had tripled since last spring, driven by language model developers.',
  'The ministry did not say which suppliers would provide the hardware, though two domestic chip makers have bid for similar contracts in Shanghai and Shenzhen.',
].join('\n\n');

const OTHER_OUTLET = [
  'Hefei will get a state-backed computing hub worth 4.5 billion yuan, provincial authorities announced, as local governments race to give AI developers access to scarce hardware.',
  'The facility is expected to house roughly 20,000 chips. Deputy director Zhou Lan said initial capacity should be available late next year.',
  'Harbour Securities analysts say regional demand for training compute has tripled in a year. It is unclear which vendors will supply the chips.',
  'Similar projects have been announced in Shanghai and Shenzhen this year, where two domestic chip makers competed for the contracts.',
].join('\n\n');

test('normalizeForHash folds typography, case and width', () => {
  assert.equal(normalizeForHash('  Ｈｅｌｌｏ,\u00a0“World”!\n\nIt’s  1.2 %  '), 'hello world it s 1 2');
  assert.equal(contentHash('Hello,   world!'), contentHash('hello world'));
  assert.notEqual(contentHash('hello world'), contentHash('hello word'));
  assert.match(contentHash('x'), /^[0-9a-f]{64}$/);
});

test('a syndicated copy with another headline, furniture and first paragraph is a near-duplicate', () => {
  const paragraphs = BODY.split('\n\n');
  const copy = [
    'Subscribe to our newsletter | Home > Tech > China',
    'HEFEI (Wire) — A new computing centre backed by 4.5 billion yuan of provincial money is to be built in Hefei, officials said.',
    ...paragraphs.slice(1),
    'Reporting by Wire staff; editing by the desk. Share this article. Comments (12)',
  ].join('\n\n');
  assert.equal(isNearDuplicate(BODY, copy), true);
  assert.equal(isNearDuplicate(copy, BODY), true);
  const a = signature(BODY);
  const b = signature(copy);
  assert.ok(estimatedJaccard(a, b) > 0.3, `estimated ${estimatedJaccard(a, b)}`);
  assert.ok(
    a.bands.some((band) => b.bands.includes(band)),
    'copies share an LSH band',
  );
});

test('a teaser contained in the full text counts; a trimmed excerpt too', () => {
  const excerpt = BODY.split('\n\n').slice(0, 3).join('\n\n');
  assert.equal(isNearDuplicate(BODY, excerpt), true);
});

test('two outlets reporting the same event are not duplicates', () => {
  assert.equal(isNearDuplicate(BODY, OTHER_OUTLET), false);
  const a = signature(BODY);
  const b = signature(OTHER_OUTLET);
  assert.ok(estimatedJaccard(a, b) < 0.1);
  assert.equal(a.bands.filter((band) => b.bands.includes(band)).length, 0);
});

test('signatures are deterministic and shaped as documented', () => {
  const a = signature(BODY);
  assert.equal(a.minhash.length, 128);
  assert.equal(a.bands.length, 32);
  assert.match(bandLabel(a.bands[3]!), /^b3:[0-9a-f]{8}$/);
  assert.deepEqual(signature(BODY), a);
  assert.equal(estimatedJaccard(a, signature(BODY)), 1);
  // Empty and very short texts do not crash.
  assert.equal(signature('').bands.length, 32);
  assert.equal(isNearDuplicate('', ''), false);
});

test('Chinese text: a copy is found, a different report is not', () => {
  const zh =
    '合肥市政府周二宣布，将投入四十五亿元建设新的算力中心。该中心建成后将容纳约两万颗加速芯片，并向高校和初创企业开放。官员表示，第一期工程预计明年年底投入使用。分析人士认为，该地区对训练算力的需求在过去一年增长了两倍。';
  const zhCopy = `【本报讯】${zh}（责任编辑：王）`;
  const zhOther = '上海发布人工智能产业新政策，计划三年内培育一百家相关企业，并设立专项基金支持大模型研发和芯片设计。';
  assert.equal(isNearDuplicate(zh, zhCopy), true);
  assert.equal(isNearDuplicate(zh, zhOther), false);
});

const EVAL = new URL('../../shared/eval/stories/allsides_neus_articles_flat.jsonl', import.meta.url);

test(
  'real eval set: articles of one story from different outlets are rarely near-duplicates',
  { skip: !existsSync(EVAL) && 'eval set missing' },
  () => {
    const rows = readFileSync(EVAL, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { gold_cluster_id: string; text: string; url: string });
    const byCluster = new Map<string, typeof rows>();
    for (const r of rows) byCluster.set(r.gold_cluster_id, [...(byCluster.get(r.gold_cluster_id) ?? []), r]);
    let pairs = 0;
    let flagged = 0;
    for (const members of byCluster.values()) {
      for (let i = 0; i < members.length; i += 1) {
        for (let j = i + 1; j < members.length; j += 1) {
          if (members[i]!.url === members[j]!.url) continue;
          pairs += 1;
          if (isNearDuplicate(members[i]!.text, members[j]!.text)) flagged += 1;
        }
      }
    }
    console.log(`same-story different-outlet pairs flagged as copies: ${flagged}/${pairs}`);
    assert.ok(flagged / pairs < 0.01);
  },
);

test('band keys are stable across versions: bands stored earlier still find copies', () => {
  // Pinned: changing the shingling or hashing would orphan every band already stored.
  const bands = signature('The harbour bridge reopened on Monday after fourteen months of repairs').bands;
  assert.deepEqual(bands.slice(0, 3).map(bandLabel), ['b0:75383cc7', 'b1:6b3d1504', 'b2:893522ef']);
  // The integer keys stores look up are the labels' (what SQLite stored them as since migration 007).
  assert.deepEqual(bands.map(bandLabel).map(bandKey), bands);
});
