// Fails when a TypeScript file given as an argument holds what would let it bypass the generated types: an `as` or
// `<T>` cast, a non-null assertion (`x!`), `any`, or a @ts- comment. `run` checks tour.ts with it.
import { readFileSync } from "node:fs";
import ts from "typescript";

let found = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const report = (position, what) => {
    const { line, character } = source.getLineAndCharacterOfPosition(position);
    console.error(`${file}(${line + 1},${character + 1}): ${what}`);
    found++;
  };
  const visit = (node) => {
    if (ts.isAsExpression(node) && !(ts.isTypeReferenceNode(node.type) && node.type.typeName.getText() === "const")) report(node.getStart(), "an `as` cast");
    if (ts.isTypeAssertionExpression(node)) report(node.getStart(), "a <T> cast");
    if (ts.isNonNullExpression(node)) report(node.getStart(), "a non-null assertion (!)");
    if (node.kind === ts.SyntaxKind.AnyKeyword) report(node.getStart(), "the type any");
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const match of text.matchAll(/@ts-(ignore|expect-error|nocheck)/g)) report(match.index, `a @ts-${match[1]} comment`);
}
process.exit(found === 0 ? 0 : 1);
