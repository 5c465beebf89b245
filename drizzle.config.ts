import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // One core file, plus one file per later capability (schema-returns.ts, schema-connectors.ts, …).
  schema: ['./src/db/schema.ts', './src/db/schema-*.ts'],
  out: './migrations',
});
