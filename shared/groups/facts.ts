/**
 * What one card says about groups (`CardFacts`): read once when the card is stored, so the group
 * list of a large book is built from these small records, never from the vCards.
 */
import { listValue, parseVCard, structuredValue, textValue, versionOf, type VCard, type VProperty } from '../vcard';
import { memberKey } from './members';
import type { CardFacts, GroupCardForm } from './types';

const upper = (p: VProperty): string => p.name.toUpperCase();

/** The group-card form a card is in, or null for a contact (any other KIND: individual, org, …). */
export function groupFormOf(card: VCard): GroupCardForm | null {
  const version = versionOf(card);
  let apple = false;
  let vcard4 = false;
  for (const p of card.properties) {
    const name = upper(p);
    if (name !== 'KIND' && name !== 'X-ADDRESSBOOKSERVER-KIND') continue;
    if (textValue(p, version).trim().toLowerCase() !== 'group') continue;
    if (name === 'KIND') vcard4 = true;
    else apple = true;
  }
  // A card carrying both (a converter's output) is read in its own version's form.
  if (apple && vcard4) return version === '4.0' ? 'vcard4' : 'apple';
  return apple ? 'apple' : vcard4 ? 'vcard4' : null;
}

/** The member property of a form. */
export function memberProperty(form: GroupCardForm): string {
  return form === 'apple' ? 'X-ADDRESSBOOKSERVER-MEMBER' : 'MEMBER';
}

/** A group card's name: FN, else the first component of N (Apple writes both the same). */
export function groupCardName(card: VCard): string {
  const version = versionOf(card);
  const fn = card.properties.find((p) => upper(p) === 'FN');
  const name = fn === undefined ? '' : textValue(fn, version).trim();
  if (name !== '') return name;
  const n = card.properties.find((p) => upper(p) === 'N');
  return n === undefined ? '' : (structuredValue(n, version)[0] ?? '').trim();
}

/**
 * `categories`: the card's CATEGORIES values, unique, in order, when the caller has them already
 * (`toContact(card).categories`, which reads them the same way): a list of 400,000 is not split
 * and unescaped a second time.
 */
export function readCardFacts(id: string, card: VCard, categories?: readonly string[]): CardFacts {
  const version = versionOf(card);
  const group = groupFormOf(card);
  let uid = '';
  const members: string[] = [];
  const read: string[] = [];
  // Each unique, in order, looked up in a set: a list's includes made 48,000 categories 7 s.
  const seenMembers = new Set<string>();
  const seenCategories = new Set<string>();
  for (const p of card.properties) {
    const name = upper(p);
    if (name === 'UID' && uid === '') uid = textValue(p, version).trim();
    else if (name === 'CATEGORIES') {
      if (categories !== undefined) continue;
      for (const c of listValue(p, version)) {
        if (seenCategories.has(c)) continue;
        seenCategories.add(c);
        read.push(c);
      }
    } else if (group !== null && (name === 'MEMBER' || name === 'X-ADDRESSBOOKSERVER-MEMBER')) {
      const key = memberKey(textValue(p, version));
      if (key === '' || seenMembers.has(key)) continue;
      seenMembers.add(key);
      members.push(key);
    }
  }
  return { id, uid, group, name: group === null ? '' : groupCardName(card), members, categories: categories === undefined ? read : categories.slice() };
}

/** The same from the vCard text; a card that cannot be read says nothing about groups. */
export function readCardFactsText(id: string, vcard: string): CardFacts {
  try {
    return readCardFacts(id, parseVCard(vcard));
  } catch {
    return { id, uid: '', group: null, name: '', members: [], categories: [] };
  }
}
