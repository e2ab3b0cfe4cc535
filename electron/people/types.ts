/**
 * The People API's answers (https://people.googleapis.com/v1), as Google's reference pages give
 * them, checked with zod before use: a server's JSON is input like any other. Only the fields
 * Cardinal reads are kept; unknown ones are dropped.
 */
import { z } from 'zod';

/** `contactGroups/…` and `people/…`: the ids go into request paths, so nothing else is let through. */
export const GROUP_NAME = /^contactGroups\/[A-Za-z0-9_-]{1,200}$/;
export const PERSON_NAME = /^people\/[A-Za-z0-9_-]{1,200}$/;

const groupName = z.string().regex(GROUP_NAME);
const personName = z.string().regex(PERSON_NAME);

/** ContactGroup (REST Resource: contactGroups). `memberResourceNames` only on get, up to `maxMembers`. */
export const contactGroupSchema = z.object({
  resourceName: groupName,
  etag: z.string().max(1000).optional(),
  metadata: z.object({ updateTime: z.string().optional(), deleted: z.boolean().optional() }).optional(),
  groupType: z.enum(['GROUP_TYPE_UNSPECIFIED', 'USER_CONTACT_GROUP', 'SYSTEM_CONTACT_GROUP']).optional(),
  name: z.string().max(10_000).optional(),
  formattedName: z.string().max(10_000).optional(),
  memberResourceNames: z.array(personName).optional(),
  memberCount: z.number().int().nonnegative().optional(),
});
export type ContactGroup = z.infer<typeof contactGroupSchema>;

/** ListContactGroupsResponse. */
export const listGroupsSchema = z.object({
  contactGroups: z.array(contactGroupSchema).optional(),
  totalItems: z.number().int().optional(),
  nextPageToken: z.string().max(10_000).optional(),
  nextSyncToken: z.string().max(10_000).optional(),
});

/** ModifyContactGroupMembersResponse. */
export const modifyMembersSchema = z.object({
  notFoundResourceNames: z.array(z.string()).optional(),
  canNotRemoveLastContactGroupResourceNames: z.array(z.string()).optional(),
});

const fieldMetadata = z.object({ source: z.object({ type: z.string().optional(), id: z.string().optional() }).optional() }).optional();

/** Person, with the fields the join to CardDAV cards needs (personFields=metadata,names,emailAddresses,phoneNumbers). */
export const personSchema = z.object({
  resourceName: personName,
  etag: z.string().max(1000).optional(),
  metadata: z
    .object({
      deleted: z.boolean().optional(),
      sources: z.array(z.object({ type: z.string().optional(), id: z.string().max(200).optional(), etag: z.string().optional() })).optional(),
      previousResourceNames: z.array(z.string()).optional(),
    })
    .optional(),
  names: z.array(z.object({ displayName: z.string().max(10_000).optional(), metadata: fieldMetadata })).optional(),
  emailAddresses: z.array(z.object({ value: z.string().max(10_000).optional(), metadata: fieldMetadata })).optional(),
  phoneNumbers: z.array(z.object({ value: z.string().max(10_000).optional(), metadata: fieldMetadata })).optional(),
});
export type Person = z.infer<typeof personSchema>;

/** ListConnectionsResponse. */
export const listConnectionsSchema = z.object({
  connections: z.array(personSchema).optional(),
  nextPageToken: z.string().max(10_000).optional(),
  nextSyncToken: z.string().max(10_000).optional(),
  totalItems: z.number().int().optional(),
});

/** Google's error body (google.rpc.Status), with the ErrorInfo reason where there is one. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.number().int().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.object({ '@type': z.string().optional(), reason: z.string().optional() })).optional(),
  }),
});

/** The system groups Cardinal reads: "starred" is the favourites; "myContacts" holds every contact. */
export const STARRED = 'contactGroups/starred';
export const MY_CONTACTS = 'contactGroups/myContacts';
