/**
 * Canonical URLs: one spelling per article, so that the same page reached through a feed,
 * a share link, its AMP or mobile variant is recognised as already known. Only changes that
 * never point at a different document are made; anything unparseable is returned trimmed.
 */

/** Query parameters that only track where a click came from. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mkt_tok',
  'ref',
  'ref_src',
  'ref_url',
  'referrer',
  'referer',
  'cmpid',
  'cmp',
  'ocid',
  'smid',
  'smtyp',
  's_cid',
  'spm',
  'share',
  'shared',
  'ito',
  'guccounter',
  'guce_referrer',
  'guce_referrer_sig',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'hsctatracking',
  'ncid',
  'sr_share',
  'at_medium',
  'at_campaign',
  'at_custom1',
  'at_custom2',
  'at_custom3',
  'at_custom4',
  'amp',
  'outputtype',
  '__twitter_impression',
  'wt.mc_id',
  'ns_mchannel',
  'ns_source',
  'ns_campaign',
  'ns_linkname',
]);
const TRACKING_PREFIXES = ['utm_', 'mc_', 'pk_', 'mtm_', 'hmb_', 'oly_'];

/** Host prefixes that serve the same article as the bare domain. */
const HOST_PREFIXES = ['www.', 'mobile.', 'amp.', 'm.'];

function isTracking(name: string): boolean {
  const key = name.toLowerCase();
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * The canonical form of an article URL: no fragment or tracking parameters, remaining
 * parameters sorted, host lowercased without default port or www./m./mobile./amp. prefix,
 * no AMP variant, trailing slash or index page. file: URLs are only normalised.
 */
export function canonicalizeUrl(url: string): string {
  const trimmed = url.trim();
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    return trimmed;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.href;

  u.hash = '';
  u.username = '';
  u.password = '';
  let host = u.hostname.replace(/\.$/, '');
  for (let stripped = true; stripped;) {
    stripped = false;
    for (const prefix of HOST_PREFIXES) {
      // Keep at least a registrable-looking name ("m.co" must not become "co").
      if (host.startsWith(prefix) && host.slice(prefix.length).includes('.')) {
        host = host.slice(prefix.length);
        stripped = true;
      }
    }
  }
  u.hostname = host;

  u.pathname = canonicalPath(u.pathname);

  const kept = [...u.searchParams].filter(([name]) => !isTracking(name));
  kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  u.search = kept.length === 0 ? '' : new URLSearchParams(kept).toString();

  let href = u.href;
  // "https://x.org/" and "https://x.org" are one page; keep the bare form.
  if (u.pathname === '/' && u.search === '') href = href.replace(/\/$/, '');
  return href;
}

function canonicalPath(pathname: string): string {
  let path = pathname.replace(/\/{2,}/g, '/');
  path = path.replace(/\.amp\.html?$/i, '.html');
  path = path.replace(/\/amp\/?$/i, '/');
  path = path.replace(/\/index\.(?:html?|php|aspx?)$/i, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  return path === '' ? '/' : path;
}

/**
 * The URL to show readers: the article's own URL without its fragment and tracking
 * parameters, otherwise as given (host and path untouched, unlike the canonical form).
 */
export function displayUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return url.trim();
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return parsed.href;
  parsed.hash = '';
  for (const name of [...parsed.searchParams.keys()]) if (isTracking(name)) parsed.searchParams.delete(name);
  return parsed.href;
}
