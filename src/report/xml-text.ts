/**
 * Text inside XML (JUnit reports). Captured bytes are attacker-controlled: every
 * markup character is escaped, so a greeting holding `]]>` or `</failure>` stays
 * text, and characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE,
 * U+FFFF) are removed, since one of them makes the whole report unreadable.
 */

// XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Element content: `&`, `<` and `>` escaped (`>` too, so `]]>` never appears). */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes: also `"`, and line breaks and tabs as references (a parser would fold them to spaces). */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
