/**
 * What the editor checks before saving, each problem tied to the field it is about (so it is
 * shown there, and the first one is focused), and the tidying done on save.
 */
import { isRealDate, type Contact } from '../../../../shared/vcard';
import { nameInOrder } from '../../../../shared/book/derive';
import type { Translate } from '../../i18n';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Where a problem is: a field path the editor gives each input (`emails.0`, `birthday`, …). */
export interface Problem {
  readonly field: string;
  readonly message: string;
}

/** `badDates`: date fields whose inputs name no date (31 Mehr), by path. */
export function validate(c: Contact, t: Translate, badDates: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  const named = [c.formattedName, c.name.given, c.name.family, c.organization.name, ...c.emails.map((e) => e.value), ...c.phones.map((p) => p.value)].some((x) => x.trim() !== '');
  if (!named) problems.push({ field: 'name', message: t('invalid.empty') });
  c.emails.forEach((e, i) => {
    if (e.value.trim() !== '' && !EMAIL.test(e.value.trim())) problems.push({ field: `emails.${i}`, message: t('invalid.email', { value: e.value }) });
  });
  const dates: [string, Contact['birthday']][] = [
    ['birthday', c.birthday],
    ['anniversary', c.anniversary],
    ...c.dates.map((d, i): [string, Contact['birthday']] => [`dates.${i}`, d.date]),
  ];
  for (const [field, d] of dates) if (badDates.has(field) || (d !== null && !isRealDate(d))) problems.push({ field, message: t('invalid.date') });
  return problems;
}

/** The display name made from the rest, for a contact whose own is left empty. */
function derivedName(c: Contact): string {
  return nameInOrder(c) || c.organization.name.trim() || c.emails.find((e) => e.value.trim() !== '')?.value.trim() || c.phones.find((p) => p.value.trim() !== '')?.value.trim() || '';
}

/**
 * Drop empty items and fill the display name from the structured name when it was left empty. A
 * display name that was itself made so (it equals what `initial` makes) and that the user did not
 * touch follows the name: renaming Zoë to Zoey renames the contact.
 */
export function tidy(c: Contact, initial?: Contact): Contact {
  const filled = <T extends { value: string }>(xs: readonly T[]) => xs.filter((x) => x.value.trim() !== '').map((x) => ({ ...x, value: x.value.trim() }));
  const addresses = c.addresses.filter((a) => [a.poBox, a.extended, a.street, a.locality, a.region, a.postalCode, a.country].some((x) => x.trim() !== ''));
  const out = { ...c, emails: filled(c.emails), phones: filled(c.phones), urls: filled(c.urls), ims: filled(c.ims), related: filled(c.related), addresses };
  const follows = initial !== undefined && c.formattedName === initial.formattedName && initial.formattedName.trim() !== '' && initial.formattedName.trim() === derivedName(initial);
  if (out.formattedName.trim() === '' || follows) return { ...out, formattedName: derivedName(out) };
  return out;
}
