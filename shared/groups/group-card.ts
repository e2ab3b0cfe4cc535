/**
 * Group cards in both forms: made, renamed, and their member lists changed. The name goes through
 * `applyEdit` (FN, and N where it held the name); member lines are added after the last one and
 * removed where they stand, so every other line of the card stays as it was.
 */
import { applyEdit, escapeText, parseVCard, serializeVCard, textValue, toContact, versionOf, type VCard, type VProperty } from '../vcard';
import { groupFormOf, groupCardName, memberProperty } from './facts';
import { memberKey, memberValue } from './members';
import type { GroupCardForm } from './types';

/** A member reference safe to write as one line (a UID with a line break is not one we can name). */
function cleanUid(uid: string): string | null {
  const v = uid.trim();
  return v === '' || /[\r\n]/.test(v) ? null : v;
}

/** A new group card: Apple's form is vCard 3.0 (N and FN, as Apple's Contacts writes), the other vCard 4.0. */
export function newGroupCard(form: GroupCardForm, uid: string, name: string, memberUids: readonly string[] = []): string {
  const version = form === 'apple' ? '3.0' : '4.0';
  const props: VProperty[] = [
    { group: null, name: 'VERSION', params: [], value: version },
    { group: null, name: 'UID', params: [], value: escapeText(uid, version) },
  ];
  if (form === 'apple') {
    props.push({ group: null, name: 'N', params: [], value: `${escapeText(name, version, true)};;;;` });
    props.push({ group: null, name: 'FN', params: [], value: escapeText(name, version) });
    props.push({ group: null, name: 'X-ADDRESSBOOKSERVER-KIND', params: [], value: 'group' });
  } else {
    props.push({ group: null, name: 'KIND', params: [], value: 'group' });
    props.push({ group: null, name: 'FN', params: [], value: escapeText(name, version) });
  }
  return serializeVCard(withMembersAdded({ properties: props }, form, memberUids));
}

function withMembersAdded(card: VCard, form: GroupCardForm, uids: readonly string[]): VCard {
  const version = versionOf(card);
  const props = [...card.properties];
  const have = new Set(props.filter((p) => isMember(p)).map((p) => memberKey(textValue(p, version))));
  let at = -1;
  props.forEach((p, i) => {
    if (isMember(p)) at = i;
  });
  if (at < 0) at = props.length - 1;
  const name = memberProperty(form);
  const adding: VProperty[] = [];
  for (const uid of uids) {
    const clean = cleanUid(uid);
    if (clean === null) continue;
    const value = memberValue(clean);
    const key = memberKey(value);
    if (have.has(key)) continue;
    have.add(key);
    adding.push({ group: null, name, params: [], value });
  }
  if (adding.length === 0) return card;
  props.splice(at + 1, 0, ...adding);
  return { properties: props };
}

function isMember(p: VProperty): boolean {
  const n = p.name.toUpperCase();
  return n === 'MEMBER' || n === 'X-ADDRESSBOOKSERVER-MEMBER';
}

function formOf(card: VCard): GroupCardForm {
  return groupFormOf(card) ?? (versionOf(card) === '4.0' ? 'vcard4' : 'apple');
}

/** The card with these members added (by UID), in the card's own member property. */
export function addGroupCardMembers(vcard: string, uids: readonly string[]): string {
  const card = parseVCard(vcard);
  const next = withMembersAdded(card, formOf(card), uids);
  return next === card ? vcard : serializeVCard(next);
}

/** The card without the members whose keys are given (`uidKey` of a contact's UID, or `memberKey`). */
export function removeGroupCardMembers(vcard: string, keys: ReadonlySet<string>): string {
  const card = parseVCard(vcard);
  const version = versionOf(card);
  const props = card.properties.filter((p) => !(isMember(p) && keys.has(memberKey(textValue(p, version)))));
  return props.length === card.properties.length ? vcard : serializeVCard({ properties: props });
}

/** The card under a new name: FN, and N where its first part held the old name. */
export function renameGroupCard(vcard: string, name: string): string {
  const card = parseVCard(vcard);
  const before = toContact(card);
  const old = groupCardName(card);
  const nameHeldIt = before.name.family.trim() === old || (before.name.family === '' && before.name.given === '' && card.properties.some((p) => p.name.toUpperCase() === 'N'));
  const after = { ...before, formattedName: name, name: nameHeldIt ? { ...before.name, family: name } : before.name };
  return serializeVCard(applyEdit(card, before, after));
}
