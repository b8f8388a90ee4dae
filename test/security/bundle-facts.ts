/**
 * Reads a built bundle (out/main/*.js, out/preload/*.cjs) with the TypeScript parser and lists the
 * facts the security gate judges: what it imports, which Electron objects it takes, which event
 * names it hooks, which literal-argument calls it makes, and the options of each
 * `new BrowserWindow({...})`. Parsing (rather than grepping) keeps comments and strings in
 * comments from satisfying or failing a check.
 */
import ts from 'typescript';

export interface BundleFacts {
  /** Module specifiers from import/export declarations, require() and import(). */
  imports: Set<string>;
  /** Names taken from 'electron' (named imports, or `electron.X` on a required module). */
  electronNames: Set<string>;
  /** Every property name accessed (`a.b` gives b), to spot e.g. openExternal. */
  propertyNames: Set<string>;
  /** Calls with a literal first argument, as `method(arg)`: `on("will-navigate")`, `setContentProtection(true)`. */
  literalCalls: Set<string>;
  /** Method names called (`x.setWindowOpenHandler(...)` gives setWindowOpenHandler). */
  calledMethods: Set<string>;
  /** webPreferences of each `new BrowserWindow({...})`: property -> literal source text. */
  windowPreferences: Array<Record<string, string>>;
  /** `key=literal` for every object-literal property with a literal value, e.g. `action="deny"`. */
  literalProperties: Set<string>;
}

function literalText(node: ts.Expression, sf: ts.SourceFile): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return JSON.stringify(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || ts.isNumericLiteral(node)) return node.getText(sf);
  return undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function objectProperties(obj: ts.ObjectLiteralExpression, sf: ts.SourceFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p)) {
      const key = propertyName(p.name);
      if (key !== undefined) out[key] = p.initializer.getText(sf);
    } else if (ts.isShorthandPropertyAssignment(p)) {
      out[p.name.text] = p.name.text;
    }
  }
  return out;
}

function calleeMethod(expr: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isIdentifier(expr)) return expr.text;
  return undefined;
}

export function bundleFacts(code: string, fileName = 'bundle.js'): BundleFacts {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const facts: BundleFacts = {
    imports: new Set(),
    electronNames: new Set(),
    propertyNames: new Set(),
    literalCalls: new Set(),
    calledMethods: new Set(),
    windowPreferences: [],
    literalProperties: new Set(),
  };
  const electronLocals = new Set<string>();

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      facts.imports.add(spec);
      if (spec === 'electron' && ts.isImportDeclaration(node)) {
        const bindings = node.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) facts.electronNames.add((el.propertyName ?? el.name).text);
        if (bindings && ts.isNamespaceImport(bindings)) electronLocals.add(bindings.name.text);
        if (node.importClause?.name) electronLocals.add(node.importClause.name.text);
      }
    }
    if (ts.isCallExpression(node)) {
      const first = node.arguments[0];
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if ((isRequire || isDynamicImport) && first && ts.isStringLiteralLike(first)) {
        facts.imports.add(first.text);
        if (first.text === 'electron' && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) electronLocals.add(node.parent.name.text);
      }
      const method = calleeMethod(node.expression);
      if (method !== undefined) {
        facts.calledMethods.add(method);
        const lit = first ? literalText(first, sf) : undefined;
        if (lit !== undefined) facts.literalCalls.add(`${method}(${lit})`);
      }
    }
    if (ts.isPropertyAssignment(node)) {
      const key = propertyName(node.name);
      const lit = literalText(node.initializer, sf);
      if (key !== undefined && lit !== undefined) facts.literalProperties.add(`${key}=${lit}`);
    }
    if (ts.isPropertyAccessExpression(node)) {
      facts.propertyNames.add(node.name.text);
      if (ts.isIdentifier(node.expression) && electronLocals.has(node.expression.text)) facts.electronNames.add(node.name.text);
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /BrowserWindow/.test(node.expression.text)) {
      const opts = node.arguments?.[0];
      if (opts && ts.isObjectLiteralExpression(opts)) {
        const prefsProp = opts.properties.find((p) => ts.isPropertyAssignment(p) && propertyName(p.name) === 'webPreferences');
        const prefs = prefsProp && ts.isPropertyAssignment(prefsProp) && ts.isObjectLiteralExpression(prefsProp.initializer) ? objectProperties(prefsProp.initializer, sf) : {};
        facts.windowPreferences.push(prefs);
      } else {
        // Options the gate cannot read count as no options: every required setting is then missing.
        facts.windowPreferences.push({});
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return facts;
}

export const NETWORK_MODULES = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns'] as const;

/** Network modules a bundle imports (plain, node:-prefixed, or a subpath such as dns/promises). */
export function networkImports(facts: BundleFacts): string[] {
  return [...facts.imports].filter((spec) => {
    const bare = spec.replace(/^node:/, '').split('/')[0] ?? '';
    return (NETWORK_MODULES as readonly string[]).includes(bare);
  });
}

/** Electron APIs that reach the network or leave the app: the shell must take none of them. */
export const FORBIDDEN_ELECTRON_NAMES = ['net', 'shell', 'autoUpdater', 'crashReporter', 'netLog'] as const;
