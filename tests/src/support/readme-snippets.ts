// The README's TypeScript blocks as files a consumer project compiles: each block is its own
// module; one without imports gets the imports of the README's other blocks (merged per module),
// as a reader who pasted the first snippet would have them.
import { codeBlocks } from './markdown.js';

export interface Snippet {
  /** File name inside the consumer's snippet directory. */
  readonly file: string;
  readonly source: string;
}

const importPattern = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';/gm;

export function snippetsOf(readme: string, prefix: string, origin: string): Snippet[] {
  const blocks = codeBlocks(readme).filter((block) => block.lang === 'ts');
  const imports = new Map<string, Map<string, string>>();
  for (const { code } of blocks) {
    for (const [, typeOnly, names, from] of code.matchAll(importPattern)) {
      const merged = imports.get(from as string) ?? new Map<string, string>();
      for (const raw of (names as string).replace(/\/\/.*$/gm, '').split(',')) {
        const name = raw.trim();
        if (name === '') continue;
        const local = name.replace(/^type\s+/, '');
        merged.set(local, typeOnly === undefined ? name : `type ${local}`);
      }
      imports.set(from as string, merged);
    }
  }
  const prelude = [...imports]
    .map(([from, names]) => `import { ${[...names.values()].join(', ')} } from '${from}';`)
    .join('\n');
  return blocks.map(({ code, line }) => {
    const own = /^import\s/m.test(code);
    const header = `// ${origin}, the block at line ${line}\n`;
    return {
      file: `${prefix}-${line}.ts`,
      source: `${header}${own ? '' : `${prelude}\n`}${code}\nexport {};\n`,
    };
  });
}
