import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../locales/en.json';
import zhCN from '../locales/zh-CN.json';

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
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
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
