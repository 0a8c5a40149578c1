#!/usr/bin/env node
// Validates a MapLibre style file with the style spec; the template's
// {origin} placeholder is filled in first. Usage: node e2e/validate-style.mjs [style.json]
import { readFileSync } from 'node:fs';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';

const file = process.argv[2] || new URL('../style.json', import.meta.url).pathname;
const text = readFileSync(file, 'utf8').replaceAll('{origin}', 'http://localhost:8080');
const errors = validateStyleMin(JSON.parse(text));
for (const e of errors) console.log(`FAIL ${file}: ${e.message}`);
console.log(errors.length ? `style: FAIL (${errors.length} errors)` : `PASS ${file} is a valid MapLibre style`);
process.exit(errors.length ? 1 : 0);
