/**
 * A server's card as the window stores it: its list fields and its text as written here. The
 * host's answer reader makes it beside each card of a first sync's listing (in its worker), so the
 * window only checks and writes it (`renderer/src/db/sync-store.ts`); the window makes it itself
 * for a card that comes without it. The same function on both sides: the same rows either way.
 */
import type { DerivedCard } from '../sync/types';
import { parseVCard, serializeVCard, VCardError } from '../vcard';
import { deriveListFields, type ListFields } from './derive';

/** `vcard` as stored, with its list fields; null: it cannot be read (not a vCard, or broken). */
export function parsedCard(vcard: string): { fields: ListFields; vcard: string } | null {
  try {
    const card = parseVCard(vcard);
    return { fields: deriveListFields(card), vcard: serializeVCard(card) };
  } catch (e) {
    if (e instanceof VCardError) return null;
    throw e;
  }
}

/** What crosses to the window: the stored text only where it is not the server's text as received. */
export function derivedCard(vcard: string): DerivedCard | null {
  const p = parsedCard(vcard);
  if (p === null) return null;
  return p.vcard === vcard ? { fields: p.fields } : { fields: p.fields, vcard: p.vcard };
}

const STRING_FIELDS = ['uid', 'displayName', 'displayNameLast', 'sortName', 'sortNameLast', 'org', 'email', 'phone', 'photo', 'birthday', 'search', 'details', 'phones', 'groupName'] as const;
const FIELD_COUNT = STRING_FIELDS.length + 3;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * A derived card as it arrives over the host's store request, checked before it is written: every
 * list field there with its type and no other key (the row is made of them), the text a string.
 * Throws what is wrong with it: the batch is refused rather than written from a malformed payload.
 */
export function checkDerivedCard(d: unknown, href: string): DerivedCard {
  const wrong = (what: string): never => {
    throw new TypeError(`applyRemote: the derived card of ${href} is malformed (${what})`);
  };
  if (typeof d !== 'object' || d === null) return wrong('not an object');
  const o = d as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'fields' && k !== 'vcard') wrong(`key ${k}`);
  if ('vcard' in o && typeof o.vcard !== 'string') wrong('vcard');
  const f = o.fields;
  if (typeof f !== 'object' || f === null || Array.isArray(f)) return wrong('fields');
  const fields = f as Record<string, unknown>;
  if (Object.keys(fields).length !== FIELD_COUNT) wrong('fields: keys');
  for (const k of STRING_FIELDS) if (typeof fields[k] !== 'string') wrong(`fields.${k}`);
  if (!isStrings(fields.categories)) wrong('fields.categories');
  if (!isStrings(fields.members)) wrong('fields.members');
  if (fields.groupCard !== '' && fields.groupCard !== 'apple' && fields.groupCard !== 'vcard4') wrong('fields.groupCard');
  return d as DerivedCard;
}
