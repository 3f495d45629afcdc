/**
 * What the doctor shows of the Prometheus URL: credentials in its user info and the values of its
 * query string (proxies take tokens there) never reach a report, a written config or an error.
 */

const hidden = '***';

/** The URL with user info and query-string values replaced by `***`; the fragment dropped. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL (the error says so): hide whatever sits where credentials would.
    return raw
      .replace(/\/\/[^/?#\s]*@/, `//${hidden}@`)
      .replace(/([?&][^=&#\s]*=)[^&#\s]*/g, `$1${hidden}`)
      .replace(/#.*$/, '');
  }
  const userInfo = url.username || url.password ? `${hidden}@` : '';
  const query = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=${hidden}`).join('&');
  return `${url.protocol}//${userInfo}${url.host}${url.pathname}${query ? `?${query}` : ''}`;
}

/** The secrets `raw` carries, raw and percent-encoded, to scrub them from text that is not ours (a library's error message). */
export function urlSecrets(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [];
  }
  const encoded = [url.username, url.password, ...[...url.searchParams.values()].map((v) => encodeURIComponent(v))];
  const decoded = encoded.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  // Very short values would blank out ordinary words of a message; they are no secret worth the name.
  return [...new Set([...encoded, ...decoded])].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of the secrets replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => t.split(s).join(hidden), text);
}
