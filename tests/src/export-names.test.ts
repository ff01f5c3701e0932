// Every name the SDK exports means one thing: two packages may export the same name only when it
// is the same declaration re-exported (rpc-core re-exports the message types), never two
// different types that happen to share a name (schedule's and security's `InstallResult` did).
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { publishedPackages, repoRoot } from './support/build.js';

function exportedDeclarations(): Map<string, Map<string, string>> {
  const entries = publishedPackages.map((pkg) => ({
    name: pkg.name,
    file: join(repoRoot, pkg.dir, 'src', 'index.ts'),
  }));
  const program = ts.createProgram(
    entries.map((e) => e.file),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      // Resolve the workspace packages to their sources, as the root tsconfig does.
      customConditions: ['@ocpp-kit/source'],
      strict: true,
      noEmit: true,
    },
  );
  const checker = program.getTypeChecker();
  /** name -> declaration site -> the packages exporting it from there */
  const byName = new Map<string, Map<string, string>>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry.file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`cannot read the exports of ${entry.file}`);
    for (const symbol of checker.getExportsOfModule(module)) {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target.declarations?.[0];
      const site =
        declaration === undefined
          ? `?${symbol.name}`
          : `${declaration.getSourceFile().fileName.replace(repoRoot, '')}:${declaration.pos}`;
      const sites = byName.get(symbol.name) ?? new Map<string, string>();
      sites.set(site, [sites.get(site), entry.name].filter(Boolean).join(', '));
      byName.set(symbol.name, sites);
    }
  }
  return byName;
}

describe('exported names are unique across the SDK', () => {
  const byName = exportedDeclarations();

  test('no two packages export different things under one name', () => {
    const clashes = [...byName]
      .filter(([, sites]) => sites.size > 1)
      .map(([name, sites]) => `${name}: ${[...sites.values()].join(' / ')}`);
    expect(clashes).toEqual([]);
  });

  test('a re-export is the same declaration: rpc-core and messages share BootNotificationRequest', () => {
    const sites = byName.get('BootNotificationRequest');
    expect(sites?.size).toBe(1);
    expect([...(sites?.values() ?? [])][0]).toMatch(/@ocpp-kit\/messages.*@ocpp-kit\/rpc-core/);
  });

  test('regression: InstallResult is ProfileInstallResult (schedule) and CertificateInstallResult (security)', () => {
    expect(byName.has('InstallResult')).toBe(false);
    expect(byName.has('ProfileInstallResult')).toBe(true);
    expect(byName.has('CertificateInstallResult')).toBe(true);
  });
});
