/**
 * A Workspace entry's attribute values reach the vCard view escaped as its text values are: a
 * newline written as `&#10;` (or `&#13;&#10;`) in any attribute never starts a property of its own,
 * a quote or `;` never ends a parameter, and what the attribute said comes back to the entry
 * unchanged when the contact is edited.
 */
import { describe, expect, it } from 'vitest';
import { entryToVCard, parseEntry, patchEntry } from '../../../electron/gdata/atom';
import { parseVCard, serializeVCard, toContact } from '../../../shared/vcard';

const entry = (children: string, photo = '') =>
  parseEntry(
    `<entry xmlns="http://www.w3.org/2005/Atom" xmlns:gd="http://schemas.google.com/g/2005" xmlns:gContact="http://schemas.google.com/contact/2008" gd:etag='"e1"'><id>https://www.google.com/m8/feeds/contacts/example.com/base/a1</id><updated>2024-01-01T00:00:00.000Z</updated><link rel="self" type="application/atom+xml" href="https://www.google.com/m8/feeds/contacts/example.com/full/a1"/><link rel="edit" type="application/atom+xml" href="https://www.google.com/m8/feeds/contacts/example.com/full/a1/1"/>${photo}<gd:name><gd:fullName>Ada Lovelace</gd:fullName></gd:name><gd:email rel="http://schemas.google.com/g/2005#work" address="ada@example.com"/>${children}</entry>`,
  );

/** The names of the properties the view has, and the e-mail addresses the window would show. */
function view(vcard: string): { names: string[]; emails: string[] } {
  const card = parseVCard(vcard);
  return { names: card.properties.map((p) => p.name.toUpperCase()), emails: toContact(card).emails.map((e) => e.value) };
}

const INJECT = ['&#10;EMAIL:x@evil.example', '&#13;&#10;EMAIL:x@evil.example', '&#13;EMAIL:x@evil.example', '&quot;&#10;EMAIL:x@evil.example', ';TYPE=x:&#10;EMAIL:x@evil.example'];

describe('attribute values from a Workspace entry cannot write properties into the card', () => {
  const cases: [string, (v: string) => string, string][] = [
    ['birthday when', (v) => `<gContact:birthday when="1990-01-01${v}"/>`, ''],
    ['website href', (v) => `<gContact:website href="https://ada.example/${v}" rel="home-page"/>`, ''],
    ['website rel', (v) => `<gContact:website href="https://ada.example/" rel="home-page${v}"/>`, ''],
    ['website label', (v) => `<gContact:website href="https://ada.example/" label="Blog${v}"/>`, ''],
    ['event startTime', (v) => `<gContact:event rel="anniversary"><gd:when startTime="2001-02-03${v}"/></gContact:event>`, ''],
    ['event label', (v) => `<gContact:event label="Met${v}"><gd:when startTime="2001-02-03"/></gContact:event>`, ''],
    ['extendedProperty name', (v) => `<gd:extendedProperty name="com.example.key${v}" value="v"/>`, ''],
    ['extendedProperty value', (v) => `<gd:extendedProperty name="k" value="v${v}"/>`, ''],
    ['e-mail rel', (v) => `<gd:email rel="http://schemas.google.com/g/2005#home${v}" address="home@example.com"/>`, ''],
    ['phone rel', (v) => `<gd:phoneNumber rel="http://schemas.google.com/g/2005#mobile${v}">+1 555 0100</gd:phoneNumber>`, ''],
    ['im address', (v) => `<gd:im address="ada${v}" protocol="http://schemas.google.com/g/2005#JABBER" rel="http://schemas.google.com/g/2005#home"/>`, ''],
    ['photo link href', () => '', 'photo'],
  ];

  for (const [what, element, kind] of cases) {
    it.each(INJECT)(`${what}: %s`, (inject) => {
      const photo = kind === 'photo' ? `<link rel="http://schemas.google.com/contacts/2008/rel#photo" type="image/*" href="https://www.google.com/m8/feeds/photos/media/example.com/a1${inject}" gd:etag='"p1"'/>` : '';
      const e = entry(element(inject), photo);
      const vcard = entryToVCard(e);
      const { names, emails } = view(vcard);
      // Only the entry's own e-mail address (and the home one where that is the element under test).
      expect(emails.filter((m) => m.includes('evil'))).toEqual([]);
      expect(names.filter((n) => n === 'EMAIL')).toHaveLength(what === 'e-mail rel' ? 2 : 1);
      // The view reads back as it was written: one card, the same properties.
      expect(parseVCard(serializeVCard(parseVCard(vcard))).properties).toEqual(parseVCard(vcard).properties);
    });
  }
});

describe('what an attribute said comes back to the entry as it was', () => {
  it('birthday, website and event values with commas, semicolons and backslashes are shown as written and sent back unchanged', () => {
    const e = entry(`<gContact:birthday when="--12-25"/><gContact:website href="https://ada.example/a,b;c\\d" rel="blog"/><gContact:event rel="other"><gd:when startTime="2001-02-03"/></gContact:event>`);
    const vcard = entryToVCard(e);
    const contact = toContact(parseVCard(vcard));
    expect(contact.urls.map((u) => u.value)).toEqual(['https://ada.example/a,b;c\\d']);
    expect(contact.birthday).toMatchObject({ year: null, month: 12, day: 25 });
    // An unrelated edit (a note) leaves these elements byte for byte; an edit of the website writes its value as shown.
    const withNote = vcard.replace('END:VCARD', 'NOTE:hello\r\nEND:VCARD');
    const patched = patchEntry(e.xml, vcard, withNote);
    expect(patched).toContain('<gContact:website href="https://ada.example/a,b;c\\d" rel="blog"/>');
    const movedSite = vcard.replace('https://ada.example/a\\,b\\;c\\\\d', 'https://ada.example/x\\,y');
    expect(movedSite).not.toBe(vcard);
    expect(patchEntry(e.xml, vcard, movedSite)).toContain('href="https://ada.example/x,y"');
  });

  it('the photo link is kept as a URI the loader can fetch', () => {
    const e = entry('', `<link rel="http://schemas.google.com/contacts/2008/rel#photo" type="image/*" href="https://www.google.com/m8/feeds/photos/media/example.com/a1" gd:etag='"p1"'/>`);
    expect(toContact(parseVCard(entryToVCard(e))).photo?.uri).toBe('https://www.google.com/m8/feeds/photos/media/example.com/a1');
  });
});
