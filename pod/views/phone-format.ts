import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/**
 * Phone numbers as a technician reads them: formatted for the company's country (national
 * form for a number of that country, international otherwise), with a dialable E.164 value.
 * libphonenumber-js's "min" metadata keeps the lazily loaded view small; it validates
 * lengths, not number types, which is all display needs.
 */

let regionNames: Intl.DisplayNames | null | undefined;
const byName = new Map<string, CountryCode | null>();

/**
 * ConnectWise gives the company's country as a name ("United States"). The ISO code is found
 * by comparing it with each region's English name (Intl.DisplayNames), and kept.
 */
export function countryCodeOf(country: string | undefined): CountryCode | undefined {
  if (!country) return undefined;
  const wanted = country.trim().toLowerCase();
  if (/^[a-z]{2}$/.test(wanted)) {
    const code = wanted.toUpperCase() as CountryCode;
    return getCountries().includes(code) ? code : undefined;
  }
  if (!byName.has(wanted)) {
    regionNames ??= typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
    const aliases: Record<string, CountryCode> = { usa: 'US', 'united states of america': 'US', uk: 'GB', 'great britain': 'GB' };
    const found = aliases[wanted] ?? getCountries().find((code) => regionNames?.of(code)?.toLowerCase() === wanted) ?? null;
    byName.set(wanted, found);
  }
  return byName.get(wanted) ?? undefined;
}

export type FormattedPhone = { display: string; dial: string | undefined };

export function formatPhone(value: string, country: CountryCode | undefined): FormattedPhone {
  try {
    const parsed = parsePhoneNumberFromString(value, country ? { defaultCountry: country } : undefined);
    if (!parsed || !parsed.isPossible()) return { display: value, dial: undefined };
    // National form for the company's own calling code (the number may belong to no region yet, e.g. 555 numbers).
    const domestic = country !== undefined && parsed.countryCallingCode === getCountryCallingCode(country);
    const display = domestic ? parsed.formatNational() : parsed.formatInternational();
    return { display, dial: parsed.number };
  } catch {
    return { display: value, dial: undefined };
  }
}
