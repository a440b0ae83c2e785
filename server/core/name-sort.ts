import { pinyin } from 'pinyin-pro';

// Chinese names sort by their pinyin (tone as a digit), as a phone book does; the name itself breaks
// ties between homophones. The key is stored, so both engines sort by comparing bytes.
export function nameSortKey(name: string): string {
  const syllables = pinyin(name.trim(), { toneType: 'num', type: 'array', nonZh: 'consecutive' });
  return `${syllables.join(' ').toLowerCase()}\u0001${name.trim()}`;
}
