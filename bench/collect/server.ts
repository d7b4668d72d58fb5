/**
 * The collect bench's web server, in a process of its own (so its CPU is not the bot's):
 * `feeds` teaser feeds of `perFeed` items on 127.0.0.1, and each item's article page.
 * Sends its port to the parent over IPC.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCorpus } from '../synthetic.ts';
import { page, rss } from './feeds.ts';

const [feeds, perFeed] = [Number(process.argv[2]), Number(process.argv[3])];
const articles = generateCorpus(feeds * perFeed, 7).articles;
const byId = new Map(articles.map((a) => [a.id, a]));
let port = 0;
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0]!;
  const feed = /^\/feed\/(\d+)\.xml$/.exec(path);
  if (feed) {
    const i = Number(feed[1]);
    const slice = articles.slice(i * perFeed, (i + 1) * perFeed);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rss(`Feed ${i}`, slice, (a) => `http://127.0.0.1:${port}/a/${a.id}`, true));
    return;
  }
  const article = byId.get(/^\/a\/(.+)$/.exec(path)?.[1] ?? '');
  if (article) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(article));
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  port = (server.address() as AddressInfo).port;
  process.send!({ port });
});
process.on('disconnect', () => server.close());
