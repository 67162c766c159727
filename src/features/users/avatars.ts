// Avatar rules (issue 15): an uploaded picture lives in the AVATARS R2 bucket under one key per member,
// its version (upload time) on the user row; the version is in the picture's URL, so a new upload is a
// new URL and the old one may be cached forever. The bytes decide the type (lib/avatar.ts sniffImageType),
// never the file name or the declared type.
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { users } from "../../db/schema";
import { AVATAR_MAX_BYTES, type AvatarType, isAvatarType, sniffImageType } from "../../lib/avatar";

const key = (userId: number) => `avatars/${userId}`;

export const AVATAR_ERRORS = {
  empty: "Choose a picture to upload.",
  tooLarge: "That picture is too large: at most 1 MB.",
  notAnImage: "That file is not a PNG, JPEG or WebP picture.",
} as const;

export type AvatarError = keyof typeof AVATAR_ERRORS;
/** A refusal says which rule (`error`, for the web's translated words) and in English (`message`, for the API). */
export type UploadResult = { ok: true; version: number } | { ok: false; status: 413 | 415 | 422; error: AvatarError; message: string };

const refuse = (status: 413 | 415 | 422, error: AvatarError): UploadResult => ({ ok: false, status, error, message: AVATAR_ERRORS[error] });

/** Checks and stores `bytes` as the member's picture; the row's version changes only after the bytes are stored. */
export async function uploadAvatar(db: Db, bucket: R2Bucket, userId: number, bytes: Uint8Array | null, now = Date.now()): Promise<UploadResult> {
  if (!bytes || bytes.length === 0) return refuse(422, "empty");
  if (bytes.length > AVATAR_MAX_BYTES) return refuse(413, "tooLarge");
  const type: AvatarType | null = sniffImageType(bytes);
  if (!type) return refuse(415, "notAnImage");
  await bucket.put(key(userId), bytes, { httpMetadata: { contentType: type }, customMetadata: { version: String(now) } });
  await db.update(users).set({ avatarVersion: now }).where(eq(users.id, userId));
  return { ok: true, version: now };
}

/** Back to the default (or Gravatar, if opted in). The row first: no page points at a missing picture. */
export async function removeAvatar(db: Db, bucket: R2Bucket, userId: number): Promise<boolean> {
  const changed = await db.update(users).set({ avatarVersion: null }).where(eq(users.id, userId)).returning({ id: users.id });
  await deleteAvatarObject(bucket, userId);
  return changed.length > 0;
}

/** For account deletion: the picture goes with the account. */
export function deleteAvatarObject(bucket: R2Bucket, userId: number): Promise<void> {
  return bucket.delete(key(userId));
}

export type StoredAvatar = { body: ReadableStream; type: string; version: string; etag: string };

/** The stored picture of user `userId`, without a D1 query (the version is in the object's metadata). */
export async function readAvatar(bucket: R2Bucket, userId: number): Promise<StoredAvatar | null> {
  const obj = await bucket.get(key(userId));
  if (!obj) return null;
  // Only types we stored after sniffing; anything else would be a bucket someone filled by hand.
  const type = obj.httpMetadata?.contentType ?? "";
  if (!isAvatarType(type)) return null;
  return { body: obj.body, type, version: obj.customMetadata?.version ?? "", etag: obj.httpEtag };
}
