/** What the contact editor saves: empty items dropped, and the display name where the user left it to the name. */
import { describe, expect, it } from 'vitest';
import { EMPTY_CONTACT } from '../../../shared/csv/draft';
import type { Contact } from '../../../shared/vcard';
import { tidy } from '../../../renderer/src/features/contacts/validate';

const person = (given: string, family: string, formattedName: string): Contact => ({ ...EMPTY_CONTACT, name: { ...EMPTY_CONTACT.name, given, family }, formattedName });

describe('the display name on save', () => {
  it('left empty, it is made from the name', () => {
    expect(tidy(person('Zoë', 'Ångström', '')).formattedName).toBe('Zoë Ångström');
  });

  it('made from the name before and not touched, it follows a renamed given name (Zoë → Zoey)', () => {
    const initial = person('Zoë', 'Ångström', 'Zoë Ångström');
    expect(tidy(person('Zoey', 'Ångström', 'Zoë Ångström'), initial).formattedName).toBe('Zoey Ångström');
  });

  it('one the user chose stays, whatever the name becomes', () => {
    const initial = person('Zoë', 'Ångström', 'Dr. Z');
    expect(tidy(person('Zoey', 'Ångström', 'Dr. Z'), initial).formattedName).toBe('Dr. Z');
  });

  it('one the user changed in this edit stays as typed', () => {
    const initial = person('Zoë', 'Ångström', 'Zoë Ångström');
    expect(tidy(person('Zoey', 'Ångström', 'Zoë the Physicist'), initial).formattedName).toBe('Zoë the Physicist');
  });
});
