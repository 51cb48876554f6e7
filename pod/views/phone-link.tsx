import type { CountryCode } from 'libphonenumber-js/min';
import { CopyButton } from './copy-button.tsx';
import { telHref } from './format.ts';
import { formatPhone } from './phone-format.ts';

/** A phone number formatted for the company's country, dialable, with a copy button. */
export function PhoneLink({ value, extension, country }: { value: string; extension?: string | undefined; country: CountryCode | undefined }) {
  const phone = formatPhone(value, country);
  const shown = `${phone.display}${extension ? ` x${extension}` : ''}`;
  return (
    <span class="copyable">
      <a href={telHref(phone.dial ?? value, extension)}>{shown}</a>
      <CopyButton text={shown} what="phone number" />
    </span>
  );
}
