/**
 * Localized text (DESIGN §7, seed-details §2.1): objects keyed by language. Input keys may be two-letter (`en`)
 * or five-letter (`en-US`); they are stored and returned two-letter, and when both forms of one language are
 * sent the last one wins. The `locale` query picks one string, falling back to `en`.
 */

/** A stored localization object: two-letter key → text. */
export type Localized = Record<string, string>;

/** Five-letter codes whose two-letter key is not their language prefix (the real service's keys). */
const SPECIAL: Record<string, string> = {
  'zh-cn': 'cn',
  'zh-tw': 'tw',
  'zh-hk': 'tw',
  'fil-ph': 'ph',
  'en-ph': 'ph',
};

const KEY = /^([a-z]{2,3})(?:[-_]([a-z]{2}))?$/i;

/** `en-US` → `en`, `zh-CN` → `cn`, `EN` → `en`; returns null for something that is not a language key. */
export function normalizeLocaleKey(key: string): string | null {
  const m = KEY.exec(key.trim());
  if (!m) return null;
  const lower = key.trim().toLowerCase().replace('_', '-');
  if (SPECIAL[lower]) return SPECIAL[lower];
  const lang = m[1].toLowerCase();
  if (lang === 'zh') return 'cn';
  return lang.length === 2 ? lang : null;
}

/**
 * Normalizes an input localization object: two-letter keys, the last of `en`/`en-US` wins, null values dropped.
 * Returns `{ value, badKeys }` so callers can answer 422 naming the keys that are not languages.
 */
export function normalizeLocalized(input: Record<string, unknown> | null | undefined): {
  value: Localized | null;
  badKeys: string[];
} {
  if (input === null || input === undefined) return { value: null, badKeys: [] };
  const out: Localized = {};
  const badKeys: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    const key = normalizeLocaleKey(k);
    if (!key) {
      badKeys.push(k);
      continue;
    }
    if (v === null || v === undefined) {
      delete out[key];
      continue;
    }
    delete out[key]; // re-insert so "last one wins" also fixes the order
    out[key] = String(v);
  }
  return { value: Object.keys(out).length > 0 ? out : null, badKeys };
}

/** The text for `locale` (two-letter, already normalized), else English, else the first language, else null. */
export function pickLocalized(value: Localized | null | undefined, locale: string): string | null {
  if (!value) return null;
  return value[locale] ?? value.en ?? Object.values(value)[0] ?? null;
}

/** Normalizes the `locale` query parameter; unknown or absent → `en`. */
export function requestLocale(locale: string | undefined): string {
  if (!locale) return 'en';
  return normalizeLocaleKey(locale) ?? 'en';
}
