import { format } from 'prettier';

/** Formats generated TypeScript the same way on every machine (no config file lookup). */
export function formatTypeScript(source: string): Promise<string> {
  return format(source, {
    parser: 'typescript',
    singleQuote: true,
    semi: true,
    printWidth: 100,
    trailingComma: 'all',
    endOfLine: 'lf',
  });
}
