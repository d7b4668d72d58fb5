/**
 * Secrets out of everything shown or logged. Feed URLs sometimes carry credentials
 * (`https://user:pass@host/feed?api_key=…`); servers sometimes echo a key back in an error
 * ("Incorrect API key provided: sk-…"). Every place that shows a source URL or an error text
 * from outside goes through here.
 */

/** Query parameter names whose values are secrets. */
const SECRET_PARAM = /(key|token|secret|password|passwd|pwd|auth|sig|signature|session|credential)/i;

/** Something URL-shaped inside free text (an error message, a log line). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s"'<>`]+/gi;

/** The URL with userinfo and secret-looking query values replaced by `***`; unparseable input is returned cut short. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.length > 200 ? `${url.slice(0, 200)}…` : url;
  }
  let changed = false;
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = '***';
    parsed.password = '';
    changed = true;
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) {
      parsed.searchParams.set(name, '***');
      changed = true;
    }
  }
  // Re-serializing only when needed keeps ordinary URLs byte-for-byte as given.
  return changed ? parsed.href : url;
}

/** Free text with every URL in it masked (see {@link maskUrl}). */
export function maskUrlsIn(text: string): string {
  return text.includes('://') ? text.replace(URL_IN_TEXT, (url) => maskUrl(url)) : text;
}

/** Text with each of `secrets` (of 6 characters or more) replaced by `[redacted]`, and its URLs masked. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = maskUrlsIn(text);
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  return out;
}
