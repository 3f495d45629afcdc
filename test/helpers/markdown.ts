import { readFileSync } from 'node:fs';

export interface CodeBlock {
  readonly lang: string;
  readonly code: string;
}

/**
 * The fenced code blocks of a markdown section: from the heading whose text is `heading` to the
 * next heading of the same or a higher level. Tests run the documented commands and snippets
 * straight from the docs, so the two cannot drift apart.
 */
export function codeBlocks(file: string, heading: string): CodeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && l.replace(/^#+ /, '') === heading);
  if (start < 0) throw new Error(`${file}: no heading "${heading}"`);
  const level = (lines[start]?.match(/^#+/)?.[0] ?? '').length;
  const blocks: CodeBlock[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of lines.slice(start + 1)) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push({ lang: open.lang, code: `${open.lines.join('\n')}\n` });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const h = line.match(/^(#{1,6}) /);
    if (h && (h[1] ?? '').length <= level) break;
    if (line.startsWith('```')) open = { lang: line.slice(3).trim(), lines: [] };
  }
  return blocks;
}

/** The only block of `lang` in the section (fails when there is none or several). */
export function onlyBlock(file: string, heading: string, lang: string, containing = ''): string {
  const found = codeBlocks(file, heading).filter((b) => b.lang === lang && b.code.includes(containing));
  if (found.length !== 1)
    throw new Error(`${file} § ${heading}: expected one ${lang} block containing "${containing}", found ${found.length}`);
  return (found[0] as CodeBlock).code;
}
