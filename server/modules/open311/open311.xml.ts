// GeoReport v2 makes XML the required format. The documents are small and flat, so a few lines of
// serializer do; what matters is that every text is escaped and nothing XML 1.0 forbids gets through.

export type XmlScalar = string | number | boolean | null;
export type XmlRecord = { readonly [field: string]: XmlScalar | readonly XmlRecord[] };

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// Characters XML 1.0 does not allow at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF): a
// parser would reject the whole document, so they become U+FFFD instead.
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function scalarText(value: Exclude<XmlScalar, null>): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return typeof value === 'boolean' ? String(value) : escapeXml(value);
}

/**
 * One element per field; a null is an empty element, as in the spec's examples. A list field holds
 * one child element per item, named by `itemTags` (attributes → attribute, values → value).
 */
function recordXml(tag: string, record: XmlRecord, itemTags: Readonly<Record<string, string>>): string {
  const body = Object.entries(record)
    .map(([field, value]) => {
      if (value === null) return `<${field}/>`;
      if (Array.isArray(value)) {
        const itemTag = itemTags[field] ?? 'item';
        return `<${field}>${(value as readonly XmlRecord[]).map((item) => recordXml(itemTag, item, itemTags)).join('')}</${field}>`;
      }
      return `<${field}>${scalarText(value as Exclude<XmlScalar, null>)}</${field}>`;
    })
    .join('');
  return `<${tag}>${body}</${tag}>`;
}

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/** A list document: `<services><service>…</service></services>`. */
export function xmlList(root: string, itemTag: string, items: readonly XmlRecord[], itemTags: Readonly<Record<string, string>> = {}): string {
  return `${DECLARATION}<${root}>${items.map((item) => recordXml(itemTag, item, itemTags)).join('')}</${root}>\n`;
}

/** A single-record document: `<service_definition>…</service_definition>`. */
export function xmlRecord(root: string, record: XmlRecord, itemTags: Readonly<Record<string, string>> = {}): string {
  return `${DECLARATION}${recordXml(root, record, itemTags)}\n`;
}
