// The dashboard's language: one message catalogue per language (ui/src/i18n), the browser's
// preferred language by default, the person's own choice (the header's switch) remembered on
// this device, and numbers, sizes and dates formatted by Intl for that language. A small store
// like the session's: components read it with `useI18n()` and re-render when it changes.
import { useEffect, useState } from "preact/hooks";
import { i18nFor, isLocale, preferredLocale, type I18n, type Locale } from "./i18n-core.ts";

export { DOC_TYPES, i18nFor, LOCALES, preferredLocale, type I18n, type Locale } from "./i18n-core.ts";

const KEY = "verifyid.locale";
const listeners = new Set<() => void>();

function stored(): Locale | null {
  try {
    const value = localStorage.getItem(KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

let current: Locale = stored() ?? preferredLocale(typeof navigator === "undefined" ? [] : navigator.languages);

function apply() {
  if (typeof document !== "undefined") document.documentElement.lang = current;
}
apply();

export function currentLocale(): Locale {
  return current;
}

/** Switches the language for this device (kept across visits). */
export function setLocale(locale: Locale) {
  current = locale;
  try {
    localStorage.setItem(KEY, locale);
  } catch {
    // Storage disabled: the choice lasts for this page load.
  }
  apply();
  listeners.forEach((l) => l());
}

const cache = new Map<Locale, I18n>();

/** The current language's messages and formatters; re-renders the caller when it changes. */
export function useI18n(): I18n {
  const [locale, set] = useState(current);
  useEffect(() => {
    const update = () => set(current);
    listeners.add(update);
    update();
    return () => void listeners.delete(update);
  }, []);
  let value = cache.get(locale);
  if (!value) cache.set(locale, (value = i18nFor(locale)));
  return value;
}
