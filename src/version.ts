/** The tool's name and version, from package.json, for outputs that name their producer. */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export const TOOL_NAME = 'pop3scope';
export const TOOL_VERSION: string = pkg.version;
export const TOOL_URI = 'https://www.npmjs.com/package/pop3scope';
