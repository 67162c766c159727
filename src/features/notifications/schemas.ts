// The mail settings form: one checkbox per kind, named mail_<kind> ("y" when ticked). Unknown fields are
// ignored (a browser sends only what the form has); a ticked box with another value is a tampered form.
import { z } from "zod";
import { t } from "../../i18n";
import { KIND_NAMES, type NotificationKind } from "./kinds";

// Optional: the transform hides the shape from lib/forms, which would otherwise fill missing fields with "".
const checkbox = z.enum(["", "y"], { error: () => t("notifications.checkbox") }).optional();

export const mailSettingsSchema = z
  .object(Object.fromEntries(KIND_NAMES.map((k) => [`mail_${k}`, checkbox])))
  .transform((form): NotificationKind[] => KIND_NAMES.filter((k) => form[`mail_${k}`] === "y"));
