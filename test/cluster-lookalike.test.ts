/**
 * Two look-alike events of one kind on one day: warehouse fires in two towns, each told by
 * three outlets in the words every fire report uses (blaze, firefighters, smoke, residents told
 * to keep windows shut), each naming its own town, company and fire officer. Invented articles.
 *
 * Told as outlets tell them, each in its own words, they are two stories, with dates and
 * without. Told sentence for sentence alike (MIRRORED), the two fires' reports link at 0.73 of
 * their inside on words, as tightly as a saga's follow-ups (0.71–0.75): the split check asks the
 * names only below 0.7, so they stay one story. Their names tell them apart (0.03), but asking
 * the names up to 0.8 cut a saga of a kept-aside window (docs/clustering.md): a known limit,
 * kept here as a todo.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterArticles, type ClusterDoc } from '../src/brief/cluster/index.ts';

const DAY = '2026-03-17T';

const report = (id: string, publisher: string, hour: string, title: string, text: string): ClusterDoc => ({
  id,
  publisher,
  publishedAt: `${DAY}${hour}:00:00Z`,
  title,
  text,
});

const FIRES: ClusterDoc[] = [
  report(
    'marlow-1',
    'County Herald',
    '07',
    'Night blaze destroys Marlow Heath depot',
    'Flames lit up the sky over Marlow Heath in the early hours as a fire destroyed the Brackwell Logistics depot on Fenner Road. ' +
      'Neighbours said they were woken by explosions shortly after 1am. Forty firefighters were sent to the scene.',
  ),
  report(
    'marlow-2',
    'Valley Post',
    '09',
    'Roof collapses as crews fight warehouse fire',
    'The roof of the Brackwell Logistics warehouse in Marlow Heath fell in at about 3am while crews from six stations fought the fire, ' +
      'station manager Ruth Okafor said. People living near Fenner Road should keep their windows shut, she added.',
  ),
  report(
    'marlow-3',
    'Regional Wire',
    '12',
    'Brackwell says all staff safe after fire',
    'Brackwell Logistics said all of its night staff were safe after the fire at its Marlow Heath site, which stored furniture and paper goods. ' +
      'Fire investigators will try to establish the cause once the building is safe to enter.',
  ),
  report(
    'eastfield-1',
    'Coastal Times',
    '08',
    'Smoke over Eastfield as food warehouse burns',
    'A plume of black smoke hung over Eastfield on Tuesday morning after fire broke out at the Kesteron Foods distribution centre on Quarry Lane. ' +
      'About 25 firefighters were called at around midnight and nobody was hurt.',
  ),
  report(
    'eastfield-2',
    'Shore Gazette',
    '10',
    'Kesteron Foods centre partly collapses in fire',
    'Part of the Kesteron Foods building in Eastfield collapsed before dawn, group commander Daniel Pryce said, as four crews worked to stop the fire spreading. ' +
      'Homes on Quarry Lane were advised to keep doors and windows closed.',
  ),
  report(
    'eastfield-3',
    'Harbour News',
    '13',
    'Frozen goods lost in Eastfield fire',
    'Kesteron Foods said every worker on its night shift got out of the Eastfield centre, where frozen goods and packaging were stored. ' +
      'The company said deliveries to shops would be disrupted this week while the cause is investigated.',
  ),
];

const MIRRORED: ClusterDoc[] = [
  report(
    'marlow-1',
    'County Herald',
    '07',
    'Huge fire rips through warehouse overnight',
    'A huge fire ripped through a warehouse in Marlow Heath overnight, sending thick smoke across the town. ' +
      'Around 40 firefighters fought the blaze at the Brackwell Logistics depot on Fenner Road. ' +
      'Residents were told to keep windows and doors shut. Nobody was hurt, the fire service said.',
  ),
  report(
    'marlow-2',
    'Valley Post',
    '09',
    'Warehouse blaze: residents told to keep windows shut',
    'Firefighters spent the night tackling a warehouse fire in Marlow Heath. ' +
      'Station manager Ruth Okafor said crews from six stations attended the Brackwell Logistics site, and the roof collapsed at about 3am. ' +
      'Residents near Fenner Road were told to keep windows shut because of the smoke. There were no injuries.',
  ),
  report(
    'marlow-3',
    'Regional Wire',
    '12',
    'Cause of warehouse fire under investigation',
    'The cause of the warehouse fire in Marlow Heath is under investigation, the fire service said. ' +
      'Brackwell Logistics said all of its staff were accounted for and that the depot on Fenner Road held furniture and paper goods. ' +
      'Smoke could still be seen over the town at midday, and residents were advised to keep windows closed.',
  ),
  report(
    'eastfield-1',
    'Coastal Times',
    '08',
    'Firefighters tackle large warehouse blaze',
    'Firefighters tackled a large blaze at a warehouse in Eastfield overnight, with smoke drifting across the town. ' +
      'About 25 firefighters attended the fire at the Kesteron Foods distribution centre on Quarry Lane. ' +
      'Residents were told to keep windows and doors closed. No one was injured, the fire service said.',
  ),
  report(
    'eastfield-2',
    'Shore Gazette',
    '10',
    'Warehouse fire: smoke warning for residents',
    'A warehouse fire in Eastfield burned through the night. ' +
      'Group commander Daniel Pryce said four crews attended the Kesteron Foods site and part of the building collapsed before dawn. ' +
      'Residents around Quarry Lane were told to keep windows shut because of the smoke. Nobody was hurt.',
  ),
  report(
    'eastfield-3',
    'Harbour News',
    '13',
    'Investigation begins into warehouse fire',
    'Fire investigators are examining the cause of the warehouse fire in Eastfield. ' +
      'Kesteron Foods said every worker on the night shift got out safely and that the centre on Quarry Lane stored frozen goods and packaging. ' +
      'Smoke was still rising over the town at lunchtime, and residents were asked to keep windows closed.',
  ),
];

const storiesOf = (docs: readonly ClusterDoc[], useDates: boolean): string[][] =>
  clusterArticles(docs, { useDates })
    .map((s) => [...s.articleIds].sort())
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));

const TWO_FIRES = [
  ['eastfield-1', 'eastfield-2', 'eastfield-3'],
  ['marlow-1', 'marlow-2', 'marlow-3'],
];

for (const useDates of [true, false]) {
  const how = useDates ? 'dated' : 'text only';
  test(`two warehouse fires, each outlet in its own words, are two stories (${how})`, () => {
    assert.deepEqual(storiesOf(FIRES, useDates), TWO_FIRES);
  });
  test(
    `two warehouse fires told sentence for sentence alike are two stories (${how})`,
    { todo: 'they link like a saga on words; see the file comment' },
    () => {
      assert.deepEqual(storiesOf(MIRRORED, useDates), TWO_FIRES);
    },
  );
}
