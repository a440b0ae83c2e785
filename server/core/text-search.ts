// Substring search over Chinese names through an index: a name is indexed as its characters and its
// character bigrams, a phone as 't' + its last four digits. A query of one character looks up the
// unigram; a longer one needs every bigram it contains. Trigram indexes (FTS5 trigram, pg_trgm) find
// nothing under three characters, and most Chinese names have two or three.

const PHONE_TAIL = /^\d{4}$/;

function characters(text: string): string[] {
  return [...text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '')];
}

function bigrams(chars: string[]): string[] {
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

/** The tokens stored for a person: unigrams and bigrams of the name, and the phone tail. */
export function personTokens(name: string, phoneTail: string | null): string[] {
  const chars = characters(name);
  const tokens = new Set([...chars, ...bigrams(chars)]);
  if (phoneTail && PHONE_TAIL.test(phoneTail)) tokens.add(`t${phoneTail}`);
  return [...tokens];
}

/** The tokens a query must all match; empty when the query has nothing to search for. */
export function queryTokens(query: string): string[] {
  const trimmed = query.trim();
  if (PHONE_TAIL.test(trimmed)) return [`t${trimmed}`];
  const chars = characters(trimmed);
  if (chars.length === 0) return [];
  if (chars.length === 1) return chars;
  return [...new Set(bigrams(chars))];
}
