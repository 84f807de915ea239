import { readFileSync } from 'node:fs';

/**
 * The fenced code blocks of one language in a markdown file of the repository, in order: lets a
 * test run the very example a manual page shows, so the page cannot drift from what works.
 */
export function fencedBlocks(markdownPath: string, language: string): string[] {
  const text = readFileSync(new URL(`../../${markdownPath}`, import.meta.url), 'utf8');
  const blocks: string[] = [];
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm');
  for (const match of text.matchAll(fence)) blocks.push(match[1]!);
  return blocks;
}
