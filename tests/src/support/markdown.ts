// Just enough Markdown for tests that hold the READMEs to the code: sections, tables, code blocks.

/** The lines under `heading` (exact text, any level) up to the next heading of that level or higher. */
export function sectionOf(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex(
    (line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '') === heading,
  );
  if (start === -1) throw new Error(`no heading "${heading}"`);
  const level = (lines[start] as string).indexOf(' ');
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => {
    const match = /^(#{1,6}) /.exec(line);
    return match !== null && (match[1] as string).length <= level;
  });
  return (end === -1 ? rest : rest.slice(0, end)).join('\n');
}

/**
 * The first-column values of every table in `section` whose header cell is `` `column` ``, each
 * written as one code span (`` `Timeout` ``); other first cells ("a CALLERROR code") are skipped.
 */
export function tableKeys(section: string, column: string): string[] {
  const keys: string[] = [];
  let inTable = false;
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) {
      inTable = false;
      continue;
    }
    const first = (line.split('|')[1] ?? '').trim();
    if (!inTable) {
      inTable = first === `\`${column}\``;
      continue;
    }
    const code = /^`([^`]+)`$/.exec(first);
    if (code !== null) keys.push(code[1] as string);
  }
  return keys;
}

/** Every code span in `section` that is a bare identifier. */
export function codeSpans(section: string): string[] {
  return [...section.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((match) => match[1] as string);
}

export interface CodeBlock {
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** Fenced code blocks, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (open === null) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end === -1) throw new Error(`unclosed code block at line ${i + 1}`);
    blocks.push({ lang: open[1] as string, code: lines.slice(i + 1, end).join('\n'), line: i + 1 });
    i = end;
  }
  return blocks;
}
