/** The label column of a contact as read (found by a stranger's test: an e-mail without a TYPE had an empty label). */
import { describe, expect, it } from 'vitest';
import { itemLabel } from '../../../renderer/src/features/contacts/ContactView';
import { translator } from '../../../renderer/src/i18n';

const en = translator('en');
const fa = translator('fa');

describe('a value’s label in the contact view', () => {
  it('without a TYPE or a label, is what the value is, in the window’s language', () => {
    expect(itemLabel(en, { types: [], label: '' }, en('field.emails'))).toBe('E-mail');
    expect(itemLabel(en, { types: ['voice'], label: '' }, en('field.phones'))).toBe('Phone');
    expect(itemLabel(en, { types: ['x-unknown'], label: '  ' }, en('field.addresses'))).toBe('Address');
    expect(itemLabel(fa, { types: [], label: '' }, fa('field.emails'))).toBe('رایانامه');
    expect(itemLabel(fa, { types: [], label: '' }, fa('type.other'))).toBe('دیگر');
  });

  it('is the custom label, else the first known type, when the card has one', () => {
    expect(itemLabel(en, { types: ['work'], label: 'Office desk' }, en('field.phones'))).toBe('Office desk');
    expect(itemLabel(en, { types: ['voice', 'mobile'], label: '' }, en('field.phones'))).toBe('Mobile');
    expect(itemLabel(fa, { types: ['home'], label: '' }, fa('field.addresses'))).toBe(fa('type.home'));
  });
});
