/** Prints the rule/pack table for the README: `npx ts-node --transpile-only compliance/rules/render-readme-table.ts`. */
import { renderPackTable } from './packs';

process.stdout.write(`${renderPackTable()}\n`);
