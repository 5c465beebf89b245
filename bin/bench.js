#!/usr/bin/env node
// `npm run bench`: Consign's benchmark (bench/main.ts), run from its TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../bench/main.ts');
