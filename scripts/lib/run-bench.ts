// Runs one bench file and prints its figures as JSON on the last stdout line.
import { pathToFileURL } from 'node:url';
import type { Figure } from '../../bench/lib.js';

const mod = (await import(pathToFileURL(process.argv[2]).href)) as { default: () => Promise<Figure[]> };
const figures = await mod.default();
process.stdout.write('\n' + JSON.stringify(figures) + '\n');
process.exit(0);
