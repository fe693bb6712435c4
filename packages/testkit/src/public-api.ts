// The public surface of a package entry, for export-list snapshot tests: growth is a visible decision.
import ts from 'typescript';

export interface PublicApi {
  /** Names that exist at run time (functions, classes, constants), sorted. */
  values: string[];
  /** Names that exist only for the type checker (interfaces, type aliases), sorted. */
  types: string[];
}

/** Reads the exports of the TypeScript entry file `entry` (an absolute path) with the type checker. */
export function publicApi(entry: string): PublicApi {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`publicApi: ${entry} is not a module`);
  const values: string[] = [];
  const types: string[] = [];
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name);
  }
  return { values: values.sort(), types: types.sort() };
}
