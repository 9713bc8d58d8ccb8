import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money2, money4, moneyInput, moneyNumber, sumMoney } from '../../src/lib/money.js';

/** Integer cents → exact decimal string, computed with BigInt (the oracle). */
const centsToString = (cents: bigint) => {
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

describe('money2 / money4', () => {
  it.each([
    ['1.9', '1.90', '1.9000'],
    ['1.99', '1.99', '1.9900'],
    ['0.1', '0.10', '0.1000'],
    ['5', '5.00', '5.0000'],
    ['1.9900', '1.99', '1.9900'],
    ['1234567.5', '1234567.50', '1234567.5000'],
    ['0', '0.00', '0.0000'],
  ])('%s → %s / %s', (amount, two, four) => {
    expect(money2(amount)).toBe(two);
    expect(money4(amount)).toBe(four);
  });

  it('accepts numbers and formats them without float noise', () => {
    expect(money2(0.1 + 0.2)).toBe('0.30');
    expect(money4(0.1 + 0.2)).toBe('0.3000');
    expect(money2(10)).toBe('10.00');
  });

  it('rounds half up on the decimal value, not on the binary float', () => {
    // (2.675).toFixed(2) === '2.67' and (1.005).toFixed(2) === '1.00' in JS; the decimal value rounds up.
    expect(money2('2.675')).toBe('2.68');
    expect(money2('1.005')).toBe('1.01');
    expect(money2('1.0049')).toBe('1.00');
  });

  it('is exact for any amount of cents (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (cents) => {
        const s = centsToString(cents);
        expect(money2(s)).toBe(s);
        expect(money4(s)).toBe(`${s}00`);
      }),
    );
  });
});

describe('moneyInput / moneyNumber', () => {
  it('normalizes admin input to at most 4 decimals', () => {
    expect(moneyInput(10.5)).toBe('10.5');
    expect(moneyInput(0.1 + 0.2)).toBe('0.3');
    expect(moneyInput('1.23456')).toBe('1.2346');
    expect(moneyInput(1299.99)).toBe('1299.99');
  });

  it('turns stored decimals into JSON numbers for admin views', () => {
    expect(moneyNumber('4.9900')).toBe(4.99);
    expect(moneyNumber('10.0000')).toBe(10);
  });
});

describe('sumMoney', () => {
  it('adds exactly (0.1 + 0.2 = 0.3)', () => {
    expect(
      sumMoney([
        { amount: '0.1', quantity: 1 },
        { amount: '0.2', quantity: 1 },
      ]),
    ).toBe('0.3');
    expect(sumMoney([{ amount: '0.1', quantity: 3 }])).toBe('0.3');
    expect(sumMoney([{ amount: '19.99', quantity: 3 }])).toBe('59.97');
    expect(sumMoney([])).toBe('0');
  });

  it('equals the integer-cents sum for any rows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cents: fc.bigInt({ min: 0n, max: 10n ** 9n }),
            quantity: fc.integer({ min: 1, max: 1000 }),
          }),
          { maxLength: 30 },
        ),
        (rows) => {
          const expected = rows.reduce((acc, r) => acc + r.cents * BigInt(r.quantity), 0n);
          const got = sumMoney(rows.map((r) => ({ amount: centsToString(r.cents), quantity: r.quantity })));
          expect(money2(got)).toBe(centsToString(expected));
        },
      ),
    );
  });
});
