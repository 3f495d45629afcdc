/**
 * Label values come from the Prometheus, which takes them from whatever it scrapes: they may hold
 * line breaks, terminal escape sequences or bidirectional overrides. Whatever the doctor prints or
 * writes shows them as escapes, so a value can neither drive the terminal nor start a new line of YAML.
 */

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
// embeddings, overrides and isolates (they reorder what a terminal shows).
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` on one line, every control character shown as a `\uXXXX` escape. */
export function printable(text: string): string {
  return text.replace(unsafe, escape);
}

/** A YAML comment line holding `text`: nothing in it can end the comment. */
export function yamlComment(text: string): string {
  return `# ${printable(text)}`;
}

// What JSON.stringify leaves raw inside strings; outside strings it writes none of these.
const rawInJson = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON as `JSON.stringify` writes it (which escapes C0 controls), with DEL, C1 controls,
 * separators and bidirectional controls escaped too: it parses to the same value.
 */
export function printableJson(json: string): string {
  return json.replace(rawInJson, escape);
}
