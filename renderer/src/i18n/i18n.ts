// i18next set-up: English and Simplified Chinese, picked from the browser's languages.
import { createInstance, type i18n as I18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { en } from './en'
import { zhCN } from './zh-cn'

export const LANGUAGES = ['en', 'zh-CN'] as const
export type Language = (typeof LANGUAGES)[number]

export const resources = {
  en: { translation: en },
  'zh-CN': { translation: zhCN },
} as const

/** The first of the browser's languages we have, else English (until one is picked in settings). */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase()
    if (lower.startsWith('zh')) return 'zh-CN'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}

export function createI18n(language: Language): I18n {
  const instance = createInstance()
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    // React escapes text itself.
    interpolation: { escapeValue: false },
    initAsync: false,
  })
  return instance
}
