// Spanish (español). Exactly the keys of en.ts (a missing or extra key is a type error); the same
// {placeholders}; tone: "tú", as most Spanish-language social apps address their members.
import type { Messages } from "./types";

export const es: Messages = {
  "language.automatic": "Automático (según tu navegador)",
  "language.en": "English",
  "language.es": "Español",
  "language.label": "Idioma",
  "language.hint": "Las páginas y los correos que te enviamos usan este idioma.",
  "language.invalid": "Elige un idioma de la lista.",

  "layout.skipToContent": "Saltar al contenido",

  "time.justNow": "ahora mismo",
  "time.tooManyAttempts.one": "Demasiados intentos. Vuelve a intentarlo dentro de {count} minuto.",
  "time.tooManyAttempts.other": "Demasiados intentos. Vuelve a intentarlo dentro de {count} minutos.",

  "mail.greeting": "Hola, {username}:",
  "mail.confirm.subject": "Confirma tu cuenta",
  "mail.confirm.body": "¡Te damos la bienvenida a {app}! Para confirmar tu cuenta, usa el enlace de abajo. Funciona durante una hora.",
  "mail.confirm.button": "Confirmar tu cuenta",
  "mail.confirm.closing": "Si no creaste una cuenta, puedes ignorar este correo.",
  "mail.reset.subject": "Restablece tu contraseña",
  "mail.reset.body": "Para elegir una contraseña nueva, usa el enlace de abajo. Funciona una sola vez, durante una hora.",
  "mail.reset.button": "Restablecer tu contraseña",
  "mail.reset.closing": "Si no pediste restablecer la contraseña, ignora este correo: tu contraseña no cambia.",
  "mail.changeEmail.subject": "Confirma tu dirección de correo",
  "mail.changeEmail.body": "Para que esta sea tu dirección de correo en {app}, usa el enlace de abajo. Funciona durante una hora.",
  "mail.changeEmail.button": "Confirmar tu nueva dirección de correo",
  "mail.changeEmail.closing": "Si no pediste este cambio, ignora este correo: no cambia nada.",
  "mail.passwordChanged.subject": "Tu contraseña ha cambiado",
  "mail.passwordChanged.body": "La contraseña de tu cuenta de {app} se cambió el {when}. Se cerraron todas las demás sesiones y tokens de la API.",
  "mail.passwordChanged.body2": "Si fuiste tú, no tienes que hacer nada más. Si no, elige ahora una contraseña nueva con el enlace de abajo.",
  "mail.passwordChanged.button": "Restablecer tu contraseña",
  "mail.passwordChanged.closing": "Esto es un aviso: no puedes responder a este correo.",
  "mail.emailChanged.subject": "Tu dirección de correo ha cambiado",
  "mail.emailChanged.body": "La dirección de correo de tu cuenta de {app} se cambió de {old} a {new} el {when}.",
  "mail.emailChanged.body2":
    "Si no fuiste tú, usa el enlace de abajo en un plazo de 7 días: restaura esta dirección, cierra todas las sesiones de la cuenta, anula sus tokens de la API y te pide una contraseña nueva.",
  "mail.emailChanged.button": "Deshacer el cambio",
  "mail.emailChanged.closing": "Si hiciste tú este cambio, ignora este correo.",
};
