import type { TFunction } from 'i18next';

/** Options for a fixed set of codes, each named in the current language from a locale group. */
export function enumOptions<T extends string>(t: TFunction, group: string, values: readonly T[]) {
  return values.map((value) => ({ value, label: t(`${group}.${value}`) }));
}
