/**
 * `--format html`: one self-contained page that works offline from file://.
 * The page carries the same object `--format json` prints (written by writeJson, so
 * redacted and ordered the same) and the `explain` texts, each as data in a
 * `<script type="application/json">` block; its own script (html/page.ts, compiled
 * next to this file) builds the document from them with text nodes only. A
 * Content-Security-Policy allows no request at all and no script or style but the
 * page's own, named by their SHA-256 hashes computed here.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AnalysisResult } from '../model.js';
import { writeJson } from './json.js';
import { buildLesson } from './lesson.js';
import { MAX_FRAME_PARTS, framesLabel } from './labels.js';
import { PAGE_STYLE } from './html/style.js';

let pageScript: string | undefined;

/**
 * What the page script uses of labels.ts, as source put before it: the page cannot
 * import (it is inline, and its CSP allows no request), so it declares framesLabel and
 * gets the very function the text, SARIF and JUnit outputs cap frame lists with.
 * framesLabel uses only MAX_FRAME_PARTS and built-ins.
 */
const PAGE_PRELUDE = `const MAX_FRAME_PARTS = ${MAX_FRAME_PARTS};\n${framesLabel.toString()}\n`;

/**
 * The compiled page script, without what tsc adds for modules and source maps, after
 * PAGE_PRELUDE. It
 * exists only compiled: next to this file in dist/, or in dist/ when the tests run
 * this file from src/ (npm test builds first).
 */
function script(): string {
  const beside = new URL('./html/page.js', import.meta.url);
  const built = existsSync(beside) ? beside : new URL('../../dist/report/html/page.js', import.meta.url);
  pageScript ??= PAGE_PRELUDE + readFileSync(built, 'utf8')
    .replace(/^export \{\};\s*$/m, '')
    .replace(/^\/\/# sourceMappingURL=.*$/m, '')
    .trim();
  return pageScript;
}

/**
 * JSON that is safe inside a `<script>` element: `<`, `>` and `&` cannot open a tag or
 * close the element, and U+2028/U+2029 are escaped for old JavaScript parsers; the
 * value JSON.parse returns is unchanged.
 */
export function scriptSafeJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The Content-Security-Policy of the page: nothing may load, only the page's own script and style run. */
export function contentSecurityPolicy(scriptText: string, styleText: string): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(scriptText)}`,
    `style-src ${sha256(styleText)}`,
    "img-src 'none'",
    "connect-src 'none'",
    "font-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Writes the page piece by piece, as writeJson does, so no second copy of the result is built. */
export function writeHtml(result: AnalysisResult, write: (s: string) => void): void {
  const js = script();
  write('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n');
  write(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(js, PAGE_STYLE)}">\n`);
  write('<meta name="viewport" content="width=device-width, initial-scale=1">\n');
  write('<meta name="referrer" content="no-referrer">\n');
  write('<title>pop3scope report</title>\n');
  write(`<style>${PAGE_STYLE}</style>\n</head>\n<body>\n`);
  write('<main id="app"><noscript><p>This report draws its sessions with its own script; open it in a browser with scripts enabled. ');
  write('The data is in the page as JSON (script element pop3scope-data), the same as pop3scope --format json prints.</p></noscript></main>\n');
  write('<script type="application/json" id="pop3scope-data">');
  writeJson(result, (piece) => write(scriptSafeJson(piece)));
  write('</script>\n<script type="application/json" id="pop3scope-lesson">');
  write(scriptSafeJson(JSON.stringify(buildLesson())));
  write(`</script>\n<script type="module">${js}</script>\n</body>\n</html>\n`);
}
