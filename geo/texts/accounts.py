"""Texts of named accounts and the stewardship workflow: why an account or a change was refused, and the
command line's messages of `python -m geo accounts|proposals` and of writes made as an account."""

TEXTS: dict[str, dict[str, str]] = {
    # an account could not be added or changed (geo.store.accounts.AccountError)
    "account_bad_name": {
        "de": "Der Kontoname „{name}“ ist ungültig: 2–40 Zeichen, Kleinbuchstaben, Ziffern, Punkt, Binde- oder Unterstrich, beginnend mit Buchstabe oder Ziffer.",
        "en": "The account name '{name}' is invalid: 2–40 characters, lower-case letters, digits, dot, hyphen or underscore, starting with a letter or digit.",
    },
    "account_bad_role": {
        "de": "Die Rolle „{role}“ gibt es nicht (möglich: {roles}).",
        "en": "There is no role '{role}' (possible: {roles}).",
    },
    "account_bad_districts": {
        "de": "Kein Kreisschlüssel (AGS, fünf Ziffern): {codes}.",
        "en": "Not a district key (AGS, five digits): {codes}.",
    },
    "account_partner_needs_scope": {
        "de": "Ein Partnerkonto braucht seinen Bereich: --sites und/oder --districts.",
        "en": "A partner account needs its scope: --sites and/or --districts.",
    },
    "account_scope_only_partner": {
        "de": "Nur Partnerkonten haben einen Bereich; Redaktion und Verwaltung sehen alle Standorte.",
        "en": "Only partner accounts have a scope; editors and admins cover every site.",
    },
    "account_needs_login": {
        "de": "Ein Konto braucht ein Passwort oder eine E-Mail-Adresse für die Anmeldung mit Organisationskonto.",
        "en": "An account needs a password or an e-mail address for the organisation login.",
    },
    "account_exists": {"de": "Das Konto „{name}“ gibt es schon.", "en": "The account '{name}' exists already."},
    "account_email_taken": {
        "de": "Die E-Mail-Adresse {email} gehört schon zu einem anderen Konto.",
        "en": "The e-mail address {email} belongs to another account already.",
    },
    "account_unknown": {"de": "Das Konto „{name}“ gibt es nicht.", "en": "There is no account '{name}'."},
    "account_password_short": {
        "de": "Das Passwort ist zu kurz: mindestens {chars} Zeichen.",
        "en": "The password is too short: at least {chars} characters.",
    },
    "account_password_long": {
        "de": "Das Passwort ist zu lang: höchstens {chars} Zeichen.",
        "en": "The password is too long: at most {chars} characters.",
    },
    "account_password_has_name": {
        "de": "Das Passwort darf den Kontonamen nicht enthalten.",
        "en": "The password must not contain the account name.",
    },
    # a change was refused by the workflow (geo.imports.workflow.NotPermitted)
    "workflow_out_of_scope": {
        "de": "Abgelehnt, nichts gespeichert: Diese Standorte liegen außerhalb Ihres Bereichs: {sites}. Neue Standorte nur in Ihren Landkreisen; bitte die Datei auf Ihre Standorte beschränken.",
        "en": "Refused, nothing was stored: these sites are outside your scope: {sites}. New sites only in your districts; please limit the file to your sites.",
    },
    "workflow_shared_password_retired": {
        "de": "Es gibt benannte Konten: Das gemeinsame Passwort ändert nichts mehr. Bitte mit dem eigenen Konto anmelden (Befehlszeile: --as NAME).",
        "en": "Named accounts exist: the shared password changes nothing any more. Please log in with your own account (command line: --as NAME).",
    },
    "workflow_account_disabled": {
        "de": "Das Konto „{name}“ ist gesperrt oder unbekannt; nichts geändert.",
        "en": "The account '{name}' is disabled or unknown; nothing was changed.",
    },
    "workflow_may_not_propose": {
        "de": "Das Konto „{name}“ ({role}) darf keine Änderungen vorschlagen.",
        "en": "The account '{name}' ({role}) may not propose changes.",
    },
    "workflow_may_not_review": {
        "de": "Das Konto „{name}“ ({role}) darf Vorschläge nicht freigeben oder ablehnen; das macht die Redaktion.",
        "en": "The account '{name}' ({role}) may not approve or reject proposals; editors do.",
    },
    "workflow_may_not_apply": {
        "de": "Das Konto „{name}“ ({role}) darf nichts direkt übernehmen; Partner reichen einen Vorschlag ein.",
        "en": "The account '{name}' ({role}) may not apply changes directly; partners submit a proposal.",
    },
    "workflow_may_not_undo": {
        "de": "Das Konto „{name}“ ({role}) darf nichts rückgängig machen oder wiederherstellen.",
        "en": "The account '{name}' ({role}) may not undo or restore.",
    },
    "workflow_may_not_accounts": {
        "de": "Das Konto „{name}“ ({role}) darf keine Konten verwalten.",
        "en": "The account '{name}' ({role}) may not manage accounts.",
    },
    "workflow_shared_cannot_propose": {
        "de": "Vorschläge brauchen ein benanntes Konto.",
        "en": "Proposals need a named account.",
    },
    "workflow_four_eyes": {
        "de": "Vier-Augen-Prinzip: Einen eigenen Vorschlag gibt eine andere Person der Redaktion frei.",
        "en": "Four-eyes rule: another editor approves your own proposal.",
    },
    "workflow_author_disabled": {
        "de": "Das Konto „{name}“, von dem der Vorschlag stammt, ist gesperrt; der Vorschlag kann nur abgelehnt werden.",
        "en": "The account '{name}' that made this proposal is disabled; the proposal can only be rejected.",
    },
    "workflow_reason_needed": {
        "de": "Bitte einen Grund für die Ablehnung angeben; der Partner sieht ihn.",
        "en": "Please give a reason for the rejection; the partner sees it.",
    },
    # the command line
    "cli_password_for": {"de": "Passwort von {name}", "en": "password of {name}"},
    "cli_login_refused": {
        "de": "Fehler: Konto „{name}“ unbekannt, gesperrt oder Passwort falsch.",
        "en": "error: account '{name}' unknown, disabled or wrong password.",
    },
    "cli_new_password": {"de": "Neues Passwort für {name}", "en": "new password for {name}"},
    "cli_repeat_password": {"de": "Passwort wiederholen", "en": "repeat the password"},
    "cli_passwords_differ": {
        "de": "Fehler: Die beiden Passwörter stimmen nicht überein.",
        "en": "error: the two passwords differ.",
    },
    "cli_scope_unknown": {
        "de": "Fehler: unbekannte Standorte oder Kreisschlüssel: {names}.",
        "en": "error: unknown sites or district keys: {names}.",
    },
    "cli_account_added": {"de": "Konto „{name}“ angelegt ({role}).", "en": "account '{name}' added ({role})."},
    "cli_no_accounts": {
        "de": "Keine Konten (das gemeinsame Passwort gilt).",
        "en": "No accounts (the shared password applies).",
    },
    "cli_account_disabled": {
        "de": "Konto „{name}“ gesperrt; seine Sitzungen enden.",
        "en": "account '{name}' disabled; its sessions end.",
    },
    "cli_password_set": {
        "de": "Neues Passwort für „{name}“ gesetzt; seine Sitzungen enden.",
        "en": "new password set for '{name}'; its sessions end.",
    },
    "cli_no_proposals": {"de": "Keine Vorschläge.", "en": "No proposals."},
    "cli_proposal_unknown": {"de": "Fehler: Vorschlag #{number} gibt es nicht.", "en": "error: no proposal #{number}."},
    "cli_proposal_closed": {
        "de": "Fehler: Vorschlag #{number} ist schon entschieden oder unbekannt.",
        "en": "error: proposal #{number} is decided already or unknown.",
    },
    "cli_proposal_refused": {
        "de": "Vorschlag #{number} lässt sich mit den heutigen Daten nicht übernehmen; nichts geändert.",
        "en": "proposal #{number} cannot be applied to today's data; nothing was changed.",
    },
    "cli_proposal_approved": {
        "de": "Vorschlag #{number} freigegeben und übernommen ({fields} Felder im Verlauf).",
        "en": "proposal #{number} approved and applied ({fields} fields in the history).",
    },
    "cli_proposal_rejected": {
        "de": "Vorschlag #{number} abgelehnt; der Partner sieht den Grund.",
        "en": "proposal #{number} rejected; the partner sees the reason.",
    },
    "cli_proposal_stored": {
        "de": "Als Vorschlag #{number} gespeichert; sichtbar erst nach Freigabe durch die Redaktion.",
        "en": "stored as proposal #{number}; visible only after an editor approves it.",
    },
    "cli_nothing_to_propose": {
        "de": "Der Vorschlag würde nichts ändern; nichts gespeichert.",
        "en": "The proposal would change nothing; nothing was stored.",
    },
    "cli_site_history_empty": {
        "de": "Für „{site}“ ist keine Änderung verzeichnet.",
        "en": "No change is logged for '{site}'.",
    },
}
