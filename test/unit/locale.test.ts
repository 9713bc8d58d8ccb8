import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizeLocaleKey,
  normalizeLocalized,
  pickLocalized,
  requestLocale,
} from '../../src/lib/locale.js';

describe('normalizeLocaleKey', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['de-DE', 'de'],
    ['ru_RU', 'ru'],
    ['EN', 'en'],
    ['pt-BR', 'pt'],
    ['zh-CN', 'cn'],
    ['zh-TW', 'tw'],
    ['fil-PH', 'ph'],
    ['cn', 'cn'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeLocaleKey(input)).toBe(expected);
  });

  it.each(['', 'english', 'en-', '12', 'e', 'en-USA', 'de DE'])('rejects %j', (input) => {
    expect(normalizeLocaleKey(input)).toBeNull();
  });
});

describe('normalizeLocalized', () => {
  it('stores five-letter keys as two-letter keys', () => {
    expect(normalizeLocalized({ 'en-US': 'Premium bundle', 'de-DE': 'Premium-Paket' })).toEqual({
      value: { en: 'Premium bundle', de: 'Premium-Paket' },
      badKeys: [],
    });
  });

  it('keeps the last of en / en-US, in either order', () => {
    expect(normalizeLocalized({ en: 'first', 'en-US': 'last' }).value).toEqual({ en: 'last' });
    expect(normalizeLocalized({ 'en-US': 'first', en: 'last' }).value).toEqual({ en: 'last' });
    expect(normalizeLocalized({ 'de-DE': 'a', en: 'b', de: 'c', 'en-GB': 'd' }).value).toEqual({
      de: 'c',
      en: 'd',
    });
  });

  it('drops null values; an all-null object is null', () => {
    expect(normalizeLocalized({ en: 'Sword', de: null }).value).toEqual({ en: 'Sword' });
    expect(normalizeLocalized({ en: null }).value).toBeNull();
    expect(normalizeLocalized({ en: 'x', 'en-US': null }).value).toBeNull();
    expect(normalizeLocalized(null)).toEqual({ value: null, badKeys: [] });
    expect(normalizeLocalized(undefined)).toEqual({ value: null, badKeys: [] });
  });

  it('reports keys that are not languages', () => {
    const { value, badKeys } = normalizeLocalized({ en: 'ok', english: 'no', '': 'no' });
    expect(value).toEqual({ en: 'ok' });
    expect(badKeys.sort()).toEqual(['', 'english']);
  });

  it('always returns two-letter keys and is idempotent (property)', () => {
    const key = fc.constantFrom(
      'en',
      'de',
      'ru',
      'fr',
      'en-US',
      'en-GB',
      'de-DE',
      'ru-RU',
      'fr-FR',
      'zh-CN',
      'zh-TW',
      'EN',
      'pt_BR',
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.option(fc.string({ maxLength: 8 }), { nil: null })), { maxLength: 12 }),
        (pairs) => {
          const input = Object.fromEntries(pairs);
          const { value, badKeys } = normalizeLocalized(input);
          expect(badKeys).toEqual([]);
          if (value === null) return;
          for (const k of Object.keys(value)) expect(k).toMatch(/^[a-z]{2}$/);
          expect(normalizeLocalized(value).value).toEqual(value);
          // The value of each language is the last non-dropped one sent for it.
          for (const [k, v] of Object.entries(value)) {
            const last = Object.entries(input)
              .filter(([ik]) => normalizeLocaleKey(ik) === k)
              .at(-1);
            expect(last?.[1]).toBe(v);
          }
        },
      ),
    );
  });
});

describe('pickLocalized', () => {
  const name = { en: 'Sword', de: 'Schwert' };

  it('picks the requested language', () => {
    expect(pickLocalized(name, 'de')).toBe('Schwert');
    expect(pickLocalized(name, 'en')).toBe('Sword');
  });

  it('falls back to English, then to the first language, then null', () => {
    expect(pickLocalized(name, 'fr')).toBe('Sword');
    expect(pickLocalized({ de: 'Schwert', ru: 'Меч' }, 'fr')).toBe('Schwert');
    expect(pickLocalized(null, 'en')).toBeNull();
    expect(pickLocalized(undefined, 'en')).toBeNull();
    expect(pickLocalized({}, 'en')).toBeNull();
  });
});

describe('requestLocale', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['de', 'de'],
    ['de-DE', 'de'],
    ['DE', 'de'],
    ['zh-CN', 'cn'],
    ['not a locale', 'en'],
    ['12345', 'en'],
  ])('%j → %s', (input, expected) => {
    expect(requestLocale(input)).toBe(expected);
  });
});
