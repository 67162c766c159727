// English: the source of every message key (src/i18n/index.ts). Keys are "<area>.<what>"; a message's
// {placeholders} are filled by t(key, params) and must appear, with the same names, in every language.
// Counted messages come in pairs "<stem>.one" / "<stem>.other" (tn(stem, count)).
export const en = {
  "language.automatic": "Automatic (from your browser)",
  "language.en": "English",
  "language.es": "Español",
  "language.label": "Language",
  "language.hint": "Pages and the mails we send you use this language.",
  "language.invalid": "Choose a language from the list.",

  "layout.skipToContent": "Skip to content",

  "time.justNow": "just now",
  "time.tooManyAttempts.one": "Too many attempts. Please try again in {count} minute.",
  "time.tooManyAttempts.other": "Too many attempts. Please try again in {count} minutes.",

  "mail.greeting": "Dear {username},",
  "mail.confirm.subject": "Confirm Your Account",
  "mail.confirm.body": "Welcome to {app}! To confirm your account please use the link below. It works for one hour.",
  "mail.confirm.button": "Confirm your account",
  "mail.confirm.closing": "If you did not create an account, you can ignore this mail.",
  "mail.reset.subject": "Reset Your Password",
  "mail.reset.body": "To choose a new password use the link below. It works once, for one hour.",
  "mail.reset.button": "Reset your password",
  "mail.reset.closing": "If you did not ask for a password reset, ignore this mail: your password stays the same.",
  "mail.changeEmail.subject": "Confirm your email address",
  "mail.changeEmail.body": "To make this your {app} email address, use the link below. It works for one hour.",
  "mail.changeEmail.button": "Confirm your new email address",
  "mail.changeEmail.closing": "If you did not ask for this change, ignore this mail: nothing changes.",
  "mail.passwordChanged.subject": "Your password was changed",
  "mail.passwordChanged.body": "The password of your {app} account was changed on {when}. Every other session and API token was ended.",
  "mail.passwordChanged.body2": "If you did this, there is nothing more to do. If you did not, choose a new password now with the link below.",
  "mail.passwordChanged.button": "Reset your password",
  "mail.passwordChanged.closing": "This is a notice: you cannot reply to it.",
  "mail.emailChanged.subject": "Your email address was changed",
  "mail.emailChanged.body": "The email address of your {app} account was changed from {old} to {new} on {when}.",
  "mail.emailChanged.body2":
    "If you did not do this, use the link below within 7 days: it puts this address back, logs everyone out of the account, ends its API tokens and asks you for a new password.",
  "mail.emailChanged.button": "Undo the change",
  "mail.emailChanged.closing": "If you made this change, ignore this mail.",
} as const;
