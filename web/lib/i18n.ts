import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../locales/en.json';
import zhCN from '../locales/zh-CN.json';

type Messages = Record<string, unknown>;

// Each feature may keep its strings beside its code in features/<name>/locales/<locale>.json; they
// appear under the feature's name (t('stations.nearby.title')), so features never edit one shared file.
const featureFiles = import.meta.glob<Messages>('../features/*/locales/*.json', { eager: true, import: 'default' });

function withFeatureMessages(base: Messages, locale: string): Messages {
  const merged: Messages = { ...base };
  for (const [file, messages] of Object.entries(featureFiles)) {
    const match = /features\/([^/]+)\/locales\/([^/]+)\.json$/.exec(file);
    if (!match || match[2] !== locale) continue;
    const feature = match[1] as string;
    const existing = merged[feature];
    merged[feature] = typeof existing === 'object' && existing !== null ? { ...(existing as Messages), ...messages } : messages;
  }
  return merged;
}

export const LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];

// Kept in the browser so the choice holds before login and across reloads.
export const LOCALE_STORAGE_KEY = 'convoy.locale';
const DEFAULT_LOCALE: AppLocale = 'zh-CN';

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language the user chose on this browser, if any. */
export function storedLocale(): AppLocale | null {
  try {
    const value = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    return isAppLocale(value) ? value : null;
  } catch {
    return null;
  }
}

export function currentLocale(): AppLocale {
  return isAppLocale(i18next.language) ? i18next.language : DEFAULT_LOCALE;
}

/** Switches the interface language and remembers it on this browser. */
export async function changeLocale(locale: AppLocale): Promise<void> {
  try {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Private mode may forbid storage; the switch still applies to this visit.
  }
  await i18next.changeLanguage(locale);
}

function reflectOnDocument(locale: string): void {
  document.documentElement.lang = locale;
  document.title = i18next.t('app.title');
}

export function initI18n(): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: {
      'zh-CN': { translation: withFeatureMessages(zhCN, 'zh-CN') },
      en: { translation: withFeatureMessages(en, 'en') },
    },
    lng: storedLocale() ?? DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
  });
  i18next.on('languageChanged', reflectOnDocument);
  reflectOnDocument(currentLocale());
  return i18next;
}
