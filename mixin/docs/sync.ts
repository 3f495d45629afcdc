import { readFileSync } from 'node:fs';

/**
 * Replace the text between `<!-- name:start -->` and `<!-- name:end -->` in a markdown file's
 * content, so generated tables can live inside hand-written prose.
 */
export function replaceSection(markdown: string, name: string, body: string, file: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = markdown.indexOf(start);
  const j = markdown.indexOf(end);
  if (i === -1 || j === -1 || j < i) throw new Error(`${file}: markers ${start} … ${end} not found`);
  return `${markdown.slice(0, i + start.length)}\n${body}\n${markdown.slice(j)}`;
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
