// Numbers typed by people (forms) or written as text in their files (CSV import), read the way the
// plant's locale writes them: "30,000" is thirty thousand in en-US and "30.000" in de-DE. The locale's
// separators are learned from Intl, never hard-coded. Anything that could be read two ways ("1,5" in
// en-US: one and a half, or a mistyped 1,500?) is refused with both readings spelled out, so no form
// ever saves a number the user did not mean.

export interface NumberConventions {
  locale: string;
  /** the locale's thousands separator ("," in en-US, "." in de-DE, a narrow no-break space in fr-FR) */
  group: string;
  /** the locale's decimal separator */
  decimal: string;
  /** digits in the last group before the decimal (3), and in the groups before it (3; 2 in en-IN) */
  primaryGroup: number;
  secondaryGroup: number;
}

export type NumberReading =
  | { kind: 'empty' }
  | { kind: 'number'; value: number }
  | { kind: 'invalid'; reason: NumberProblem; message: string };

/** why a text was refused: not a number at all, could be read two ways, bad separators, decimals where whole units go */
export type NumberProblem = 'not-a-number' | 'ambiguous' | 'separators' | 'decimals';

export interface ReadNumberOptions {
  /** whole units only (quantities, counts): a decimal part is refused */
  integer?: boolean;
}

/** Spaces can never be a decimal point, so they are read as thousands separators in every locale. */
const SPACE_GROUPS = [' ', '\u00a0', '\u202f'];
const MINUS_SIGNS = ['-', '\u2212'];

const conventionsCache = new Map<string, NumberConventions>();

/** The separators of `locale` (a BCP 47 tag; an unknown one falls back to the runtime's default). */
export function numberConventions(locale: string): NumberConventions {
  const cached = conventionsCache.get(locale);
  if (cached) return cached;
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale, { useGrouping: true });
  } catch {
    format = new Intl.NumberFormat(undefined, { useGrouping: true });
  }
  const parts = format.formatToParts(1234567.5);
  const integers = parts.filter((p) => p.type === 'integer').map((p) => p.value.length);
  const conventions: NumberConventions = {
    locale: format.resolvedOptions().locale,
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    primaryGroup: integers.at(-1) ?? 3,
    secondaryGroup: integers.length >= 3 ? integers.at(-2)! : (integers.at(-1) ?? 3),
  };
  conventionsCache.set(locale, conventions);
  return conventions;
}

/** 30000 → "30,000" (en-US), "30 000" (fr-FR): how the locale writes a value. */
export function formatNumber(value: number, locale: string, fractionDigits: { min?: number; max?: number } = {}): string {
  const max = Math.max(fractionDigits.max ?? 6, fractionDigits.min ?? 0);
  return new Intl.NumberFormat(numberConventions(locale).locale, { minimumFractionDigits: fractionDigits.min ?? 0, maximumFractionDigits: max }).format(value);
}

const isDigits = (s: string) => /^\d+$/.test(s);

/**
 * Whether `integer` ("30,000", "1 234 567", "12,34,567") has its group separators where the locale
 * (or the plain three-digit grouping) puts them. All separators must be the same one (any space counts as one kind).
 */
function validGrouping(integer: string, separators: string[], c: NumberConventions): boolean {
  const kinds = new Set([...integer].filter((ch) => separators.includes(ch)).map((ch) => (SPACE_GROUPS.includes(ch) ? ' ' : ch)));
  if (kinds.size === 0) return isDigits(integer);
  if (kinds.size > 1) return false;
  const groups = integer.split(new RegExp(`[${separators.map(escapeClass).join('')}]`));
  if (!groups.every(isDigits)) return false;
  const fits = (primary: number, secondary: number) =>
    groups.at(-1)!.length === primary && groups.slice(1, -1).every((g) => g.length === secondary) && groups[0].length >= 1 && groups[0].length <= secondary;
  return fits(3, 3) || fits(c.primaryGroup, c.secondaryGroup);
}

const escapeClass = (ch: string) => (/[\\\]^-]/.test(ch) ? `\\${ch}` : ch);

/** Strict reading with the given separators; null when the text does not follow them. */
function readWith(body: string, decimal: string, groups: string[], c: NumberConventions): { value: number; fraction: string } | null {
  const pieces = body.split(decimal);
  if (pieces.length > 2) return null;
  const [integer, fraction = ''] = pieces;
  if (pieces.length === 2 && fraction !== '' && !isDigits(fraction)) return null;
  if (integer === '' && fraction === '') return null;
  if (integer !== '' && !validGrouping(integer, groups, c)) return null;
  const digits = [...integer].filter((ch) => !groups.includes(ch)).join('');
  const value = Number(`${digits || '0'}.${fraction || '0'}`);
  return Number.isFinite(value) ? { value, fraction } : null;
}

/**
 * Reads what a person typed. "" (or only spaces) is `empty`: the caller decides whether that means
 * "required" or a default. Refused, each with a message saying what to type instead:
 * - a separator that could be a decimal point or a thousands separator ("1,5", "12,50" in en-US);
 * - thousands separators in the wrong place ("1,23,4") or in another locale's style ("1.234,5" in en-US);
 * - a decimal part in a whole-units field;
 * - anything else that is not a plain number (letters, exponents, units).
 */
export function readNumber(text: string, locale: string, options: ReadNumberOptions = {}): NumberReading {
  const c = numberConventions(locale);
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  const negative = MINUS_SIGNS.includes(trimmed[0]);
  const body = trimmed.replace(/^[+\-\u2212]/, '').trim();
  const sign = negative ? -1 : 1;
  const example = options.integer ? formatNumber(30000, locale) : formatNumber(1234.5, locale);
  const notANumber: NumberReading = { kind: 'invalid', reason: 'not-a-number', message: `enter a number, e.g. ${example}` };
  const groups = [c.group, ...SPACE_GROUPS.filter((s) => s !== c.group)];
  // the two marks people use for both jobs; in a space-grouping locale the one that is not the decimal is foreign
  const otherMark = ['.', ','].find((m) => m !== c.decimal)!;
  const allowed = new Set([...groups, c.decimal, otherMark]);
  if (body === '' || ![...body].every((ch) => /\d/.test(ch) || allowed.has(ch))) return notANumber;

  const strict = readWith(body, c.decimal, groups, c);
  const otherCount = [...body].filter((ch) => ch === otherMark).length;
  const decimalCount = [...body].filter((ch) => ch === c.decimal).length;

  // One comma (en-US) with no decimal point: "30,000" is a thousands separator; "1,5" could be either.
  if (otherCount === 1 && decimalCount === 0 && !(strict && otherMark === c.group)) {
    const [before, after] = body.split(otherMark);
    if (isDigits(after) && after.length !== 0 && validGrouping(before, groups, c)) {
      const asDecimal = formatNumber(Number(`${[...before].filter((ch) => /\d/.test(ch)).join('') || '0'}.${after}`), locale, { min: after.length });
      const wholeDigits = `${[...before].filter((ch) => /\d/.test(ch)).join('')}${after.length < 3 ? after.padEnd(3, '0') : after}`;
      const asWhole = formatNumber(Number(wholeDigits), locale);
      return {
        kind: 'invalid',
        reason: 'ambiguous',
        message: options.integer
          ? `unclear: whole units only — type ${asWhole} for a whole number`
          : `unclear: type ${asDecimal} for a decimal or ${asWhole} for a whole number`,
      };
    }
  }

  if (strict) {
    if (options.integer && strict.fraction !== '' && !/^0+$/.test(strict.fraction)) {
      return { kind: 'invalid', reason: 'decimals', message: 'whole units only (no decimals)' };
    }
    if (options.integer && strict.fraction !== '') {
      // "30.000" in an en-US quantity field is most likely thirty thousand in another locale's style
      const thousands = strict.fraction.length === 3 ? ` — did you mean ${formatNumber(strict.value * 1000, locale)}?` : '';
      return { kind: 'invalid', reason: 'decimals', message: `whole units only (no decimals)${thousands}` };
    }
    return { kind: 'number', value: sign * strict.value || 0 };
  }

  // written in the other convention ("1.234,5" in an en-US plant): say how this plant writes it
  const swapped = readWith(body, otherMark, [c.decimal, ...SPACE_GROUPS], c);
  if (swapped) {
    return { kind: 'invalid', reason: 'separators', message: `write it as ${formatNumber(sign * swapped.value, locale)} (this site writes numbers like ${formatNumber(1234.5, locale)})` };
  }
  if ([...body].some((ch) => groups.includes(ch) || ch === otherMark)) {
    return { kind: 'invalid', reason: 'separators', message: `check the thousands separators: groups of three digits, e.g. ${formatNumber(1234567, locale)}` };
  }
  return notANumber;
}
