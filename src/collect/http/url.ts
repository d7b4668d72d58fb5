/**
 * URLs as they may appear in logs and error messages: feed URLs sometimes carry credentials
 * (`https://user:pass@host/`, `?api_key=…`), and secrets never reach a log line.
 */

const SECRET_PARAM = /(key|token|secret|password|passwd|pwd|auth|sig|signature|session|credential)/i;

/** The URL with userinfo and secret-looking query values replaced by `***`; unparseable input is returned cut short. */
export function displayUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.length > 200 ? `${url.slice(0, 200)}…` : url;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = '***';
    parsed.password = '';
  }
  let masked = false;
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) {
      parsed.searchParams.set(name, '***');
      masked = true;
    }
  }
  // Re-serializing only when needed keeps ordinary URLs byte-for-byte as given.
  return masked || parsed.username !== '' ? parsed.href : url;
}
