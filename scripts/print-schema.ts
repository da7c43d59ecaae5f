import fs from 'node:fs';
import { printSchema } from 'graphql';
import { sortedSchema } from '../src/schema.js';

/** Rewrites schema/schema.graphql from the code; `--check` exits 1 when the file is stale. */
const file = new URL('../schema/schema.graphql', import.meta.url);
const printed = `${printSchema(sortedSchema())}\n`;
if (process.argv.includes('--check')) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== printed) {
    console.error('schema/schema.graphql is stale: run `npm run schema`');
    process.exit(1);
  }
} else {
  fs.writeFileSync(file, printed);
  console.log('wrote schema/schema.graphql');
}
